"""/stats: the school overview for admins (ADMIN_IDS), a refusal for everyone else."""

from __future__ import annotations

from datetime import timedelta

from storage import outbox
from tests.conftest import ADMIN_ID, App


async def test_an_admin_sees_who_joined_by_class_and_what_was_sent(app: App) -> None:
    # 5А: s01 linked as a student; p01 (parent of s01 in 5А and s17 in 9В) linked as a parent
    await app.link(6001, "s01", "student")
    await app.link(6002, "p01", "parent")
    await app.link(6003, "t01", "teacher")
    now = app.clock.now()
    sent_today = await outbox.enqueue(app.db, chat_id=6002, method="send_message", payload={}, kind="grades", now=now)
    sent_last_week = await outbox.enqueue(
        app.db, chat_id=6002, method="send_message", payload={}, kind="timetable", now=now - timedelta(days=8)
    )
    assert sent_today and sent_last_week
    await outbox.mark_sent(app.db, sent_today, 11, now)
    await outbox.mark_sent(app.db, sent_last_week, 12, now - timedelta(days=8))
    await outbox.enqueue(app.db, chat_id=6003, method="send_message", payload={}, kind="message", now=now)

    admin = app.client(ADMIN_ID, language_code="en")
    await admin.send("/stats")

    text = admin.last_message().text or ""
    assert "Linked accounts: parents 1, students 1, teachers 1" in text
    assert "5А: 1 · 1 of 8" in text
    assert "7Б: 0 · 0 of 8" in text
    assert "9В: 0 · 1 of" in text
    assert "Alerts sent: today 1, this week 1" in text
    assert "Outbox: 1 waiting" in text
    assert "Messages waiting for teachers who have not linked: 0" in text


async def test_anyone_else_is_refused_clearly(app: App) -> None:
    await app.link(6003, "t01", "teacher")  # even a linked homeroom teacher
    teacher = app.client(6003, language_code="en")
    await teacher.send("/stats")
    assert "for the school's administrators" in (teacher.last_message().text or "")
    stranger = app.client(6009)  # Russian by default
    await stranger.send("/stats")
    assert "только для администраторов" in (stranger.last_message().text or "")
