"""End to end: a parent writes to the homeroom teacher, she replies in Telegram, the parent answers with the button.

The real bot process (its own outbox sender) against the fake Bot API; both accounts are linked in the bot's
database before it starts, and the teacher's quiet hours are off (the real clock may be at night).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from storage import links as links_repo
from storage import users as users_repo
from storage.db import Database
from storage.preferences import Preferences, save_preferences
from tests.e2e import running_bot
from tests.harness import FakeTelegram

PARENT, TEACHER = 8001, 8002


async def link_before_start(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    now = datetime.now(UTC)
    always = Preferences(quiet_start=time(0, 0), quiet_end=time(0, 0))
    for user_id, person_id, role in ((PARENT, "p01", "parent"), (TEACHER, "t01", "teacher")):
        await users_repo.touch_user(db, user_id, "ru", now)
        await links_repo.add_link(db, user_id, person_id, role, now)
        await save_preferences(db, user_id, always)
    await db.close()


async def test_parent_and_teacher_talk_through_the_real_bot(tmp_path: Path) -> None:
    await link_before_start(tmp_path)
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg) as bot:
        parent = tg.user(PARENT, first_name="Лёша", username="alexey_tg")
        teacher = tg.user(TEACHER, first_name="Helen")

        await parent.send("/message")
        chooser = await parent.wait_reply(predicate=lambda m: "О каком ребёнке" in (m.text or ""))
        await parent.click(chooser, "Артём")
        teachers = await parent.wait_reply(predicate=lambda m: "Кому вы хотите написать" in (m.text or ""))
        await parent.click(teachers, "Белова")
        await parent.wait_reply(predicate=lambda m: "Пришлите текст" in (m.text or ""))
        await parent.send("Добрый день! Артём завтра пропустит уроки: поликлиника.")
        preview = await parent.wait_reply(predicate=lambda m: "Проверьте сообщение" in (m.text or ""))
        await parent.click(preview, "Отправить")
        sent = await parent.wait_reply(predicate=lambda m: "✅ Отправлено: Белова Елена Викторовна" in (m.text or ""))
        assert "тишины" not in sent.text  # her quiet hours are off: nothing is deferred (issue 11, item 1)

        relayed = await teacher.wait_reply(predicate=lambda m: "поликлиника" in (m.text or ""))
        assert "Иванов Алексей Викторович, родитель ученика Иванов Артём Алексеевич, 5А класс" in relayed.text
        assert "Лёша" not in relayed.text and "alexey_tg" not in relayed.text

        await teacher.reply(relayed, "Спасибо, что предупредили. Задание пришлю сюда.")
        confirmed = await teacher.wait_reply(predicate=lambda m: "✅ Отправлено" in (m.text or ""))
        assert "тишины" not in confirmed.text
        answer = await parent.wait_reply(predicate=lambda m: "Спасибо, что предупредили" in (m.text or ""))
        assert "Белова Елена Викторовна, учитель (Математика)" in answer.text and "Helen" not in answer.text

        await parent.click(answer, "Ответить")
        await parent.wait_reply(predicate=lambda m: "Ваш ответ" in (m.text or ""))
        await parent.send("Спасибо!")
        await parent.wait_reply(predicate=lambda m: "✅ Отправлено" in (m.text or ""))
        thanks = await teacher.wait_reply(predicate=lambda m: "Спасибо!" in (m.text or ""))
        assert "Иванов Алексей Викторович" in thanks.text

        await teacher.send("/inbox")
        inbox = await teacher.wait_reply(predicate=lambda m: "Переписка" in (m.text or ""))
        assert "Вы:" not in inbox.text and "Иванов А. В.: Спасибо!" in inbox.text
    assert "Traceback" not in bot.log()
