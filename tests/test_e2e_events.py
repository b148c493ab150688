"""End to end: staff add a parent meeting for tomorrow with `ediary-bot demo add-event` while the bot runs; the
parent gets the day-before reminder, /events lists it, and the student (not a parent) gets no reminder of it.

The school's time zone is chosen so that it is 19:xx there now: after the default reminder time (18:00) and
before the quiet hours (22:00), whenever the test runs, so the reminder is due at once on the real clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage import links as links_repo
from storage import users as users_repo
from storage.db import Database
from tests.e2e import outbox_settled, running_bot
from tests.harness import FakeTelegram

PARENT, STUDENT = 9101, 9102
TITLE = "Собрание о поездке в Казань"


def evening_zone(now: datetime) -> str:
    """An IANA zone in which `now` is between 19:00 and 20:00 (Etc/GMT-N is UTC+N)."""
    offset = (19 - now.hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}"


async def link_family(path: Path) -> None:
    db = await Database.open(path)
    try:
        now = datetime.now(UTC)
        for user_id, person, role, language in ((PARENT, "p01", "parent", "ru"), (STUDENT, "s01", "student", "en")):
            await users_repo.touch_user(db, user_id, language, now)
            await links_repo.add_link(db, user_id, person, role, now)
    finally:
        await db.close()


def is_our_reminder(message) -> bool:
    return TITLE in (message.text or "") and (message.text or "").startswith(("📅 Завтра", "📅 Tomorrow"))


async def test_an_event_added_by_staff_is_reminded_the_day_before(tmp_path: Path) -> None:
    zone = evening_zone(datetime.now(UTC))
    tomorrow = (datetime.now(ZoneInfo(zone)) + timedelta(days=1)).date()
    await link_family(tmp_path / "bot.sqlite3")
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, timezone=zone) as bot:
        parent = tg.user(PARENT, first_name="Алексей", language_code="ru")
        student = tg.user(STUDENT, first_name="Artyom", language_code="en")
        _, out, _ = await bot.cli(
            "demo", "add-event", "--title", TITLE, "--date", tomorrow.isoformat(), "--time", "18:30",
            "--end", "19:30", "--audience", "parents", "--class", "5А", "--place", "Каб. 204",
        )  # fmt: skip
        assert '"audience": "class_parents"' in out

        reminder = await parent.wait_reply(predicate=is_our_reminder)
        assert f"• 18:30–19:30 👪 {TITLE} · родители 5А (Артём) — Каб. 204" in reminder.text

        await parent.send("/events")
        listed = await parent.wait_reply(predicate=lambda m: "Ближайшие школьные события" in (m.text or ""))
        assert TITLE in listed.text

        db = await Database.open(tmp_path / "bot.sqlite3")
        try:
            await outbox_settled(db)  # a second copy, or one to the student, would have gone by now
        finally:
            await db.close()
        assert sum(is_our_reminder(m) for m in parent.history) == 1
        assert not any(TITLE in (m.text or "") for m in student.history)  # a meeting for parents only
    log = bot.log()
    assert "Казань" not in log and "Артём" not in log  # no names or texts in the log
