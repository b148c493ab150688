"""The real bot process: staff add a grade with `ediary-bot demo add-grade` while it runs, and the parent and the
student get the alert through the fake Bot API server (after a silent first sync), on an e-diary that reads
classes and on one that reads only per student; staff record a substitution, the student is told, and the
timetable they open right after shows it (the view's cache does not contradict the alert)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.alerts.subscribers import student_scope
from bot.clock import SystemClock
from bot.ediary.demo import DemoProvider
from bot.ediary.demo.school_calendar import is_school_day
from bot.ediary.model import Role
from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import seen as seen_repo
from storage import users as users_repo
from storage.db import Database
from tests.e2e import outbox_settled, running_bot, wait_until
from tests.harness import FakeTelegram

PARENT, STUDENT = 1001, 1002
FAMILY = ((PARENT, "p01", "parent", "ru"), (STUDENT, "s01", "student", "en"))


async def link_family(path: Path, family: tuple[tuple[int, str, str, str], ...] = FAMILY) -> None:
    """Linked directly in the bot's database; quiet hours off, so a night-time CI run is not deferred."""
    db = await Database.open(path)
    try:
        now = datetime.now(UTC)
        for user_id, person, role, language in family:
            await users_repo.touch_user(db, user_id, language, now)
            await links_repo.add_link(db, user_id, person, role, now)
            prefs = replace(await prefs_repo.get_preferences(db, user_id), quiet_start=time(0), quiet_end=time(0))
            await prefs_repo.save_preferences(db, user_id, prefs)
    finally:
        await db.close()


async def wait_first_sync(path: Path, scope: str = "5А") -> None:
    db = await Database.open(path)
    try:

        async def synced() -> bool:
            return "s01" in await seen_repo.baselined(db, scope)

        await wait_until(synced, "the bot did not poll 5А")
    finally:
        await db.close()


def is_grade_alert(message) -> bool:
    return "Математика: 5" in (message.text or "")


@pytest.mark.parametrize("per_student", [False, True], ids=["class-reads", "per-student"])
async def test_a_grade_added_while_the_bot_runs_reaches_parent_and_student(tmp_path: Path, per_student: bool) -> None:
    database = tmp_path / "bot.sqlite3"
    await link_family(database)
    mode = {"demo_per_student": str(per_student).lower()}
    async with (
        FakeTelegram(token="42:TEST") as tg,
        running_bot(tmp_path, tg, poll_interval_seconds="5", **mode) as bot,
    ):
        parent = tg.user(PARENT, first_name="Анна", language_code="ru")
        student = tg.user(STUDENT, first_name="Artyom", language_code="en")
        await wait_first_sync(database, student_scope("5А", "s01") if per_student else "5А")
        assert not any(is_grade_alert(m) for m in parent.history + student.history)  # the first sync is silent

        _, out, _ = await bot.cli(
            "demo",
            "add-grade",
            "--student",
            "s01",
            "--subject",
            "Математика",
            "--value",
            "5",
            "--work-type",
            "Контрольная работа",
        )
        assert '"value": "5"' in out
        to_parent = await parent.wait_reply(predicate=is_grade_alert)
        assert to_parent.text.startswith("📝 Новая оценка: Артём Иванов")
        assert "Математика: 5 — Контрольная работа" in to_parent.text
        to_student = await student.wait_reply(predicate=is_grade_alert)
        assert to_student.text.startswith("📝 You have a new grade")

        async def poll_finished() -> bool:  # the alerts may arrive while the poll is still reading other students
            return "message(s) queued" in bot.log()

        await wait_until(poll_finished, "the poll did not finish")
        db = await Database.open(database)
        try:
            await outbox_settled(db)  # a wrong second copy would have been sent by now
        finally:
            await db.close()
        assert sum(is_grade_alert(m) for m in parent.history) == 1
        assert sum(is_grade_alert(m) for m in student.history) == 1
    log = bot.log()
    assert "Математика" not in log and "Артём" not in log  # no personal data in the log


def school_hours_somewhere(now: datetime) -> tuple[str, date, str] | None:
    """A timezone in which the demo school's timetable alerts can be seen now, whatever the real time: its
    morning of a school day (the day's last lessons are still to come: /today), else an evening before one
    (/tomorrow). None in the holidays (no alert is about a day without lessons)."""
    zones = [f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT" for offset in range(-12, 15)]  # Etc/GMT-3 is UTC+3
    for zone in zones:
        local = now.astimezone(ZoneInfo(zone))
        if is_school_day(local.date()) and time(7) <= local.time() <= time(11):
            return zone, local.date(), "/today"
    for zone in zones:
        local = now.astimezone(ZoneInfo(zone))
        tomorrow = local.date() + timedelta(days=1)
        if is_school_day(tomorrow) and time(7) <= local.time() <= time(21):
            return zone, tomorrow, "/tomorrow"
    return None


async def substitute_for_the_last_lesson(demo_path: Path, zone: str, day: date) -> tuple[int, str]:
    """5А's last lesson of `day` and a teacher free at that time (their full name)."""
    demo = await DemoProvider.open(demo_path, SystemClock(zone))
    try:
        lessons = await demo.lessons(list(demo.directory.classes), day, day)
        number = max(lesson.number for lesson in lessons if lesson.class_name == "5А")
        at_that_time = [lesson for lesson in lessons if lesson.number == number]
        busy = {t for lesson in at_that_time for t in (lesson.teacher_id, lesson.original_teacher_id)}
        free = next(t for t in await demo.list_people(role=Role.TEACHER) if t.id not in busy)
        return number, free.id
    finally:
        await demo.close()


async def test_a_substitution_alerted_while_the_bot_runs_shows_in_the_timetable_at_once(tmp_path: Path) -> None:
    found = school_hours_somewhere(datetime.now(UTC))
    if found is None:
        pytest.skip("school holidays in every timezone: no lesson to substitute today or tomorrow")
    zone, day, view = found
    database = tmp_path / "bot.sqlite3"
    await link_family(database, ((STUDENT, "s01", "student", "ru"),))
    async with (
        FakeTelegram(token="42:TEST") as tg,
        running_bot(tmp_path, tg, poll_interval_seconds="5", timezone=zone) as bot,
    ):
        student = tg.user(STUDENT, first_name="Артём", language_code="ru")
        await wait_first_sync(database)
        number, teacher_id = await substitute_for_the_last_lesson(tmp_path / "demo.sqlite3", zone, day)
        await student.send(view)
        before = await student.wait_reply()
        assert "Замена" not in before.text  # cached now, for a minute
        await bot.cli(
            "demo", "substitute", "--class", "5А", "--date", day.isoformat(), "--lesson", str(number),
            "--teacher", teacher_id,
        )  # fmt: skip
        alert = await student.wait_reply(predicate=lambda m: "Изменения в расписании" in (m.text or ""))
        assert f"{number}-й урок" in alert.text and "замена" in alert.text
        await student.send(view)
        after = await student.wait_reply()
        assert "Замена" in after.text, after.text  # not the answer cached before the poll
