"""The demo school's events: generated from the calendar, added by staff with `ediary-bot demo add-event`."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import ManualClock
from bot.ediary.demo import DemoCommandError, DemoProvider
from bot.ediary.demo import events as demo_events
from bot.ediary.model import EventAudience, EventKind
from tests.demo_school import copy_demo_school

SCHOOL_YEAR = (date(2026, 9, 1), date(2027, 8, 31))


def a_clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


async def test_every_day_of_the_year_has_something_in_the_coming_week_for_every_class(provider: DemoProvider) -> None:
    year = await provider.school_events(*SCHOOL_YEAR)
    assert year == await provider.school_events(*SCHOOL_YEAR)  # deterministic
    assert len({e.id for e in year}) == len(year)
    for class_name in ("5А", "7Б", "9В"):
        theirs = [e for e in year if e.class_name in (None, class_name)]
        day = SCHOOL_YEAR[0]
        while day + timedelta(days=7) <= SCHOOL_YEAR[1]:
            week = [e for e in theirs if day <= e.start.date() <= day + timedelta(days=7)]
            assert week, f"nothing for {class_name} in the week from {day}"
            day += timedelta(days=1)
        meetings = [e for e in theirs if e.kind == EventKind.PARENT_MEETING]
        assert len(meetings) == 9  # one a school month, September to May
        assert all(e.audience == EventAudience.CLASS_PARENTS and e.start.time() == time(18, 30) for e in meetings)


async def test_breaks_and_holidays_are_all_day_school_wide(provider: DemoProvider) -> None:
    year = await provider.school_events(*SCHOOL_YEAR)
    holidays = {e.title: e for e in year if e.kind == EventKind.HOLIDAY}
    winter = holidays["Зимние каникулы"]
    assert (winter.start, winter.end) == (datetime(2026, 12, 29), datetime(2027, 1, 11, 23, 59))
    assert holidays["День защитника Отечества"].start == datetime(2027, 2, 23)
    assert all(e.audience == EventAudience.SCHOOL and e.start.time() == time(0) for e in holidays.values())


async def test_an_event_added_by_staff_is_read_back_with_the_generated_ones(provider: DemoProvider) -> None:
    added = await demo_events.add_event(
        provider,
        title="  Собрание по экскурсии ",
        day=date(2026, 12, 1),
        at=time(18, 0),
        until=time(19, 0),
        kind=EventKind.PARENT_MEETING,
        audience=EventAudience.CLASS_PARENTS,
        class_name="5а",
        place="Каб. 204",
    )
    assert added.id.startswith("em") and added.title == "Собрание по экскурсии" and added.class_name == "5А"
    [found] = [e for e in await provider.school_events(date(2026, 12, 1), date(2026, 12, 1)) if e.id == added.id]
    assert found == added
    assert await provider.school_events(date(2026, 12, 2), date(2026, 12, 2)) == [
        e for e in await provider.school_events(date(2026, 12, 2), date(2026, 12, 2)) if e.id != added.id
    ]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": " "}, "the event's title is empty"),
        ({"class_name": "11Я"}, "unknown class '11Я' (classes: 5А, 7Б, 9В)"),
        ({"audience": EventAudience.SCHOOL}, "a school-wide event names no class (leave out --class)"),
        ({"until": time(17, 0)}, "the end must come after the start time on the same day"),
    ],
)
async def test_bad_events_are_refused_and_nothing_is_written(provider: DemoProvider, changes, error) -> None:
    event = {
        "title": "Экскурсия",
        "day": date(2026, 12, 1),
        "at": time(18, 0),
        "kind": EventKind.SCHOOL_EVENT,
        "audience": EventAudience.CLASS,
        "class_name": "5А",
    }
    with pytest.raises(DemoCommandError) as refused:
        await demo_events.add_event(provider, **(event | changes))
    assert str(refused.value) == error
    await demo_events.ensure_table(provider.conn)
    async with provider.conn.execute("SELECT COUNT(*) FROM events") as cur:
        assert (await cur.fetchone())[0] == 0


async def test_a_demo_file_made_before_events_opens_and_gets_its_table(tmp_path: Path) -> None:
    clock = a_clock()
    path = await copy_demo_school(tmp_path / "demo.sqlite3", clock)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE IF EXISTS events")
        conn.commit()
    provider = await DemoProvider.open(path, clock)
    try:
        assert await provider.school_events(date(2026, 11, 25), date(2026, 12, 2))
        assert provider.capabilities.events
        async with provider.conn.execute("SELECT COUNT(*) FROM events") as cur:
            assert (await cur.fetchone())[0] == 0
    finally:
        await provider.close()


# --- ediary-bot demo add-event ---------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("BOT_TOKEN", "TIMEZONE", "EDIARY_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "demo.sqlite3"
    asyncio.run(copy_demo_school(path, a_clock()))
    monkeypatch.setenv("DEMO_DATABASE_PATH", str(path))

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["demo", "add-event", *argv], clock=a_clock())
        out, err = capsys.readouterr()
        return code, out, err

    run.path = path  # type: ignore[attr-defined]  # the test reads the file back
    return run


def added_events(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone():
            return []
        return conn.execute("SELECT id, title, start_at, end_at, audience, class_id, kind FROM events").fetchall()


def test_add_event_prints_the_event(cli) -> None:
    code, out, err = cli(
        "--title", "Собрание", "--date", "2026-12-01", "--time", "18:00", "--end", "19:00",
        "--audience", "parents", "--class", "5А", "--place", "Каб. 204",
    )  # fmt: skip
    assert (code, err) == (0, "")
    event = json.loads(out)
    assert event | {"id": "?"} == {
        "id": "?",
        "title": "Собрание",
        "kind": "parent_meeting",
        "start": "2026-12-01T18:00:00",
        "end": "2026-12-01T19:00:00",
        "audience": "class_parents",
        "class_name": "5А",
        "place": "Каб. 204",
        "description": None,
    }
    assert added_events(cli.path) == [
        (event["id"], "Собрание", "2026-12-01T18:00", "2026-12-01T19:00", "class_parents", "5a", "parent_meeting")
    ]


def test_add_event_defaults_a_school_wide_all_day_event(cli) -> None:
    code, out, _ = cli("--title", "День здоровья", "--date", "2026-12-02")
    assert code == 0
    event = json.loads(out)
    assert (event["audience"], event["kind"], event["start"], event["end"]) == (
        "school",
        "school_event",
        "2026-12-02T00:00:00",
        None,
    )


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--date", "2026-12-01", "--title", "X", "--audience", "parents"], "--audience parents needs --class"),
        (["--date", "2026-12-01", "--title", "X", "--audience", "school", "--class", "5А"], "--class goes with"),
        (["--date", "1.12.2026", "--title", "X"], "--date: expected a date as YYYY-MM-DD, got '1.12.2026'"),
        (["--date", "2026-12-01", "--title", "X", "--time", "25:00"], "--time: expected a time as HH:MM"),
        (["--date", "2026-12-01", "--title", "X", "--end", "19:00"], "--end needs --time"),
        (["--date", "2026-12-01", "--title", "X", "--class", "11Я"], "unknown class '11Я' (classes: 5А, 7Б, 9В)"),
        (["--date", "2026-12-01", "--title", "X", "--time", "18:00", "--end", "17:00"], "the end must come after"),
    ],
)
def test_add_event_errors_are_one_line_and_write_nothing(cli, argv, error) -> None:
    code, out, err = cli(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("ediary-bot: error: ") and error in err and err.count("\n") == 1
    assert added_events(cli.path) == []
