"""End to end: the homeroom teacher of 5А sends an announcement through the real bot process, both linked parents
of 5А get it signed with her name, the 7Б parent does not, and she sees it delivered to both."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from storage import links as links_repo
from storage import users as users_repo
from storage.db import Database
from storage.preferences import Preferences, save_preferences
from tests.e2e import outbox_settled, running_bot
from tests.harness import FakeTelegram

TEACHER, IVANOV, PETROV, GOLUBEV = 9201, 9202, 9203, 9204
TEXT = "Завтра экскурсия в музей: сбор в 9:00 у входа в школу."


async def link_before_start(path: Path) -> None:
    """Quiet hours off: the real clock may be at night."""
    db = await Database.open(path)
    try:
        now, always = datetime.now(UTC), Preferences(quiet_start=time(0), quiet_end=time(0))
        for user_id, person, role in (
            (TEACHER, "t01", "teacher"),
            (IVANOV, "p01", "parent"),
            (PETROV, "p03", "parent"),
            (GOLUBEV, "p13", "parent"),  # 7Б only
        ):
            await users_repo.touch_user(db, user_id, "ru", now)
            await links_repo.add_link(db, user_id, person, role, now)
            await save_preferences(db, user_id, always)
    finally:
        await db.close()


def has(text: str):
    return lambda message: text in (message.text or "")


async def test_an_announcement_reaches_the_two_parents_of_the_class(tmp_path: Path) -> None:
    await link_before_start(tmp_path / "bot.sqlite3")
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg) as bot:
        teacher = tg.user(TEACHER, first_name="Helen")
        ivanov, petrov, golubev = (tg.user(user_id) for user_id in (IVANOV, PETROV, GOLUBEV))

        await teacher.send("/announce")
        choice = await teacher.wait_reply(predicate=has("Кто должен его получить?"))
        assert "👪 Родителям 5А: 2 аккаунта в боте" in choice.text
        await teacher.click(choice, "👪 Родители")
        await teacher.wait_reply(predicate=has("Напишите объявление"))
        await teacher.send(TEXT)
        preview = await teacher.wait_reply(predicate=has("Проверьте объявление"))
        await teacher.click(preview, "✅ Отправить")
        sent = await teacher.wait_reply(predicate=has("Объявление отправляется: 2 аккаунта"))

        for parent in (ivanov, petrov):
            received = await parent.wait_reply(predicate=has(TEXT))
            assert received.text.startswith("📢 Классный руководитель 5А Белова Е. В.\nРодителям 5А\n\n")
            assert "Helen" not in received.text

        db = await Database.open(tmp_path / "bot.sqlite3")
        try:
            await outbox_settled(db)
        finally:
            await db.close()
        assert not any(TEXT in (m.text or "") for m in golubev.history)
        await teacher.click(sent, "🔄 Статус доставки")
        await teacher.wait_reply(predicate=has("Доставлено: 2 из 2"))
    log = bot.log()
    assert "музей" not in log and "Белова" not in log
