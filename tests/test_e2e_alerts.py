"""The real bot process: staff add a grade with `ediary-bot demo add-grade` while it runs, and the parent and the
student get the alert through the fake Bot API server (after a silent first sync)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import seen as seen_repo
from storage import users as users_repo
from storage.db import Database
from tests.e2e import outbox_settled, running_bot, wait_until
from tests.harness import FakeTelegram

PARENT, STUDENT = 1001, 1002


async def link_family(path: Path) -> None:
    """Linked directly in the bot's database; quiet hours off, so a night-time CI run is not deferred."""
    db = await Database.open(path)
    try:
        now = datetime.now(UTC)
        for user_id, person, role, language in ((PARENT, "p01", "parent", "ru"), (STUDENT, "s01", "student", "en")):
            await users_repo.touch_user(db, user_id, language, now)
            await links_repo.add_link(db, user_id, person, role, now)
            prefs = replace(await prefs_repo.get_preferences(db, user_id), quiet_start=time(0), quiet_end=time(0))
            await prefs_repo.save_preferences(db, user_id, prefs)
    finally:
        await db.close()


async def wait_first_sync(path: Path) -> None:
    db = await Database.open(path)
    try:

        async def synced() -> bool:
            return "s01" in await seen_repo.baselined(db, "5А")

        await wait_until(synced, "the bot did not poll 5А")
    finally:
        await db.close()


def is_grade_alert(message) -> bool:
    return "Математика: 5" in (message.text or "")


async def test_a_grade_added_while_the_bot_runs_reaches_parent_and_student(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    await link_family(database)
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, poll_interval_seconds="5") as bot:
        parent = tg.user(PARENT, first_name="Анна", language_code="ru")
        student = tg.user(STUDENT, first_name="Artyom", language_code="en")
        await wait_first_sync(database)
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

        db = await Database.open(database)
        try:
            await outbox_settled(db)  # a wrong second copy would have been sent by now
        finally:
            await db.close()
        assert sum(is_grade_alert(m) for m in parent.history) == 1
        assert sum(is_grade_alert(m) for m in student.history) == 1
    log = bot.log()
    assert "message(s) queued" in log
    assert "Математика" not in log and "Артём" not in log  # no personal data in the log
