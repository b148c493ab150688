"""The real bot process: staff mark a child absent with `ediary-bot demo mark-absent` while it runs, and the parent
gets the alert through the fake Bot API server (after a silent first sync of attendance), once; then opens
/attendance and /homework on the real clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import SystemClock
from bot.ediary.demo import DemoProvider
from bot.ediary.demo.school_calendar import is_school_day
from storage import seen as seen_repo
from storage.db import Database
from tests.e2e import outbox_settled, running_bot, wait_until
from tests.harness import FakeTelegram
from tests.test_e2e_alerts import link_family

PARENT = 1001


def school_day_somewhere(now: datetime) -> tuple[str, date] | None:
    """A timezone in which today is a school day of the demo school (absences are told for today's lessons);
    None in the holidays everywhere."""
    for offset in range(-12, 15):
        zone = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"  # Etc/GMT-3 is UTC+3
        local = now.astimezone(ZoneInfo(zone)).date()
        if is_school_day(local):
            return zone, local
    return None


async def first_lesson(demo_path: Path, zone: str, day: date) -> tuple[int, str]:
    demo = await DemoProvider.open(demo_path, SystemClock(zone))
    try:
        lesson = min(await demo.lessons(["5a"], day, day), key=lambda x: x.number)
        return lesson.number, lesson.subject
    finally:
        await demo.close()


async def test_an_absence_marked_while_the_bot_runs_reaches_the_parent(tmp_path: Path) -> None:
    found = school_day_somewhere(datetime.now(UTC))
    if found is None:
        pytest.skip("school holidays in every timezone: no lesson to be absent from today")
    zone, day = found
    database = tmp_path / "bot.sqlite3"
    await link_family(database, ((PARENT, "p01", "parent", "ru"),))
    async with (
        FakeTelegram(token="42:TEST") as tg,
        running_bot(tmp_path, tg, poll_interval_seconds="5", timezone=zone) as bot,
    ):
        parent = tg.user(PARENT, first_name="Алексей", language_code="ru")
        db = await Database.open(database)
        try:

            async def attendance_synced() -> bool:
                return "s01" in await seen_repo.baselined(db, "5А", seen_repo.ATTENDANCE)

            await wait_until(attendance_synced, "the bot did not read 5А's attendance")
            number, subject = await first_lesson(tmp_path / "demo.sqlite3", zone, day)
            _, out, _ = await bot.cli(
                "demo", "mark-absent", "--student", "s01", "--date", day.isoformat(), "--lesson", str(number),
                "--reason", "болезнь",
            )  # fmt: skip
            assert '"kind": "absent"' in out
            alert = await parent.wait_reply(predicate=lambda m: (m.text or "").startswith("📋"))
            assert alert.text == f"📋 Артём отсутствовал на {number}-м уроке ({subject}) — по болезни"
            await outbox_settled(db)  # a second copy would have been sent by now
            assert sum((m.text or "").startswith("📋") for m in parent.history) == 1

            await parent.send("/attendance")
            await parent.click(await parent.wait_reply(), "Артём Иванов, 5А")
            view = await parent.wait_reply(predicate=lambda m: "Посещаемость: Артём" in (m.text or ""))
            assert f"• {subject}:" in view.text

            await parent.send("/homework")  # the week ahead on the real clock, from the same running bot
            await parent.click(await parent.wait_reply(), "Артём Иванов, 5А")
            homework = await parent.wait_reply(predicate=lambda m: "Домашние задания: Артём" in (m.text or ""))
            assert homework.text.split("\n")[1].startswith("К завтрашнему дню и до конца недели, по вс, ")
        finally:
            await db.close()
    log = bot.log()
    assert "Артём" not in log and subject not in log  # no personal data in the log
