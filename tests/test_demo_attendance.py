"""The demo school's attendance: generated since 1 September at realistic rates, the marks column's «н» and «оп»,
and `ediary-bot demo mark-absent`; read per student and per class; an older demo file opens and gets its table."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import ManualClock
from bot.ediary.demo import DemoCommandError, DemoProvider, commands
from bot.ediary.demo.attendance import mark_absent
from bot.ediary.model import ATTENDANCE_MARKS, AbsenceReason, AttendanceKind, attendance_of_mark
from bot.ediary.provider import NotSupported, attendance_source
from tests.demo_school import copy_demo_school

TODAY = date(2026, 11, 25)
SINCE_SEPTEMBER = (date(2026, 9, 1), TODAY)


def a_clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


async def test_generated_attendance_is_realistic_and_deterministic(provider: DemoProvider) -> None:
    assert attendance_source(provider) is provider
    marks = [m for c in ("5А", "7Б", "9В") for m in await provider.class_attendance(c, *SINCE_SEPTEMBER)]
    assert marks == [m for c in ("5А", "7Б", "9В") for m in await provider.class_attendance(c, *SINCE_SEPTEMBER)]
    assert len({m.id for m in marks}) == len(marks)
    months = 12 / 4.3  # school weeks since 1 September, as months (about 2.8)
    per_student = Counter(m.student_id for m in marks)
    assert len(per_student) >= 20  # nearly everyone missed or was late for something
    assert 1 <= sum(per_student.values()) / 24 / months <= 12  # a few a month, on average
    lates = [m for m in marks if m.kind == AttendanceKind.LATE]
    assert lates and all(m.minutes_late and 1 <= m.minutes_late <= 45 and m.reason is None for m in lates)
    reasons = Counter(m.reason for m in marks if m.kind == AttendanceKind.ABSENT)
    assert set(reasons) == {AbsenceReason.ILLNESS, AbsenceReason.EXCUSED, AbsenceReason.UNEXCUSED, None}
    assert not [m for m in marks if m.date == TODAY]  # today's are recorded as the day goes, never made up
    held = {x.id: x for c in ("5a", "7b", "9v") for x in await provider.lessons([c], *SINCE_SEPTEMBER)}
    assert all(held[m.lesson_id].subject == m.subject and held[m.lesson_id].number == m.lesson_number for m in marks)


async def test_a_mark_in_a_lesson_agrees_with_attendance(provider: DemoProvider) -> None:
    grades = await provider.student_grades("s05", *SINCE_SEPTEMBER)
    marks = {m.lesson_id: m for m in await provider.student_attendance("s05", *SINCE_SEPTEMBER)}
    for grade in grades:
        if grade.lesson_id is None:
            continue
        recorded = attendance_of_mark(grade.value)
        if recorded is not None:  # «н» in the marks column is an absence in attendance too
            assert marks[grade.lesson_id].kind == recorded[0]
        else:  # a student given a mark was there
            assert grade.lesson_id not in marks or marks[grade.lesson_id].kind == AttendanceKind.LATE
    assert set(ATTENDANCE_MARKS) == {v for v in ("н", "нб", "б", "у", "п", "оп") if attendance_of_mark(v)}


async def test_staff_record_absence_and_lateness_for_a_lesson(provider: DemoProvider) -> None:
    late = await mark_absent(provider, student_id="s01", day=TODAY, number=1, minutes_late=12)
    assert (late.kind, late.minutes_late, late.reason, late.id) == (AttendanceKind.LATE, 12, None, "a20261125-s01-1")
    absent = await mark_absent(provider, student_id="s01", day=TODAY, number=1, reason=AbsenceReason.EXCUSED)
    assert absent.id == late.id  # the same lesson, whoever records it
    [read] = await provider.student_attendance("s01", TODAY, TODAY)
    assert read == absent
    assert read in await provider.class_attendance("5А", TODAY, TODAY)
    await commands.add_grade(provider, "s02", read.subject, "оп")  # the marks column too
    assert [m.kind for m in await provider.student_attendance("s02", TODAY, TODAY)] == [AttendanceKind.LATE]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"student_id": "s99"}, "unknown student 's99'"),
        ({"day": date(2026, 11, 26)}, "is in the future"),
        ({"day": date(2026, 11, 22)}, "2026-11-22 is not a school day"),
        ({"number": 7}, "5А on 2026-11-25 has no lesson 7 (lessons: 1, 2, 3, 4, 5)"),
        ({"minutes_late": 0}, "minutes late must be 1-45"),
        ({"minutes_late": 5, "reason": AbsenceReason.ILLNESS}, "a reason goes with an absence"),
    ],
)
async def test_bad_marks_are_refused_and_nothing_is_written(provider: DemoProvider, changes, error) -> None:
    args = {"student_id": "s01", "day": TODAY, "number": 1} | changes
    with pytest.raises(DemoCommandError, match=error.replace("(", r"\(").replace(")", r"\)")):
        await mark_absent(provider, **args)
    assert await provider.student_attendance("s01", TODAY, TODAY) == []


async def test_per_student_mode_reads_no_class(settings, clock) -> None:
    await copy_demo_school(settings.demo_database_path, clock)
    demo = await DemoProvider.open(settings.demo_database_path, clock, per_student=True)
    try:
        assert demo.capabilities.attendance
        with pytest.raises(NotSupported):
            await demo.class_attendance("5А", TODAY, TODAY)
        assert await demo.student_attendance("s01", *SINCE_SEPTEMBER)
    finally:
        await demo.close()


async def test_a_demo_file_made_before_attendance_opens_and_gets_its_table(tmp_path: Path) -> None:
    path = await copy_demo_school(tmp_path / "demo.sqlite3", a_clock())
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE IF EXISTS attendance")
        conn.commit()
    provider = await DemoProvider.open(path, a_clock())
    try:
        assert await provider.student_attendance("s01", *SINCE_SEPTEMBER)
        await mark_absent(provider, student_id="s01", day=TODAY, number=2)
        assert len(await provider.student_attendance("s01", TODAY, TODAY)) == 1
    finally:
        await provider.close()


# --- ediary-bot demo mark-absent --------------------------------------------------------------------


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
        code = main(["demo", "mark-absent", *argv], clock=a_clock())
        out, err = capsys.readouterr()
        return code, out, err

    run.path = path  # type: ignore[attr-defined]  # the test reads the file back
    return run


def recorded(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attendance'").fetchone():
            return []
        return conn.execute(
            "SELECT student_id, date, lesson_number, kind, minutes_late, reason FROM attendance"
        ).fetchall()


@pytest.mark.parametrize("said", ["illness", "Болезнь", "по  болезни"])
def test_mark_absent_prints_the_mark_and_reads_reasons_in_russian_too(cli, said: str) -> None:
    code, out, err = cli("--student", "s01", "--date", "2026-11-25", "--lesson", "2", "--reason", said)
    assert (code, err) == (0, "")
    mark = json.loads(out)
    assert (mark["id"], mark["kind"], mark["reason"], mark["lesson_number"]) == (
        "a20261125-s01-2",
        "absent",
        "illness",
        2,
    )
    assert recorded(cli.path) == [("s01", "2026-11-25", 2, "absent", None, "illness")]


def test_mark_late_with_minutes(cli) -> None:
    code, out, _ = cli("--student", "s17", "--date", "2026-11-24", "--lesson", "1", "--late", "15")
    assert code == 0
    assert (json.loads(out)["kind"], json.loads(out)["minutes_late"]) == ("late", 15)
    assert recorded(cli.path) == [("s17", "2026-11-24", 1, "late", 15, None)]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["--student", "s01", "--date", "25.11.2026", "--lesson", "1"], "--date: expected a date as YYYY-MM-DD"),
        (["--student", "s01", "--date", "2026-11-25", "--lesson", "first"], "--lesson: expected a lesson number"),
        (["--student", "s01", "--date", "2026-11-25", "--lesson", "1", "--late", "ten"], "--late: expected minutes"),
        (
            ["--student", "s01", "--date", "2026-11-25", "--lesson", "1", "--reason", "лень"],
            "--reason: expected illness",
        ),
        (
            ["--student", "s01", "--date", "2026-11-25", "--lesson", "1", "--late", "5", "--reason", "ill"],
            "goes with an",
        ),
        (["--student", "s42", "--date", "2026-11-25", "--lesson", "1"], "unknown student 's42'"),
        (["--student", "s01", "--date", "2026-11-28", "--lesson", "1"], "is in the future"),
        (["--student", "s01", "--date", "2026-11-25", "--lesson", "9"], "has no lesson 9"),
    ],
)
def test_mark_absent_errors_are_one_line_and_write_nothing(cli, argv, error) -> None:
    code, out, err = cli(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("ediary-bot: error: ") and error in err and err.count("\n") == 1
    assert recorded(cli.path) == []
