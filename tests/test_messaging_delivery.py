"""Messages are never lost: a teacher who links later, e-diary messaging, quiet hours, mute, limits, restarts."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.app import create_dispatcher, shutdown, startup
from bot.delivery.sender import deliver_due
from bot.ediary.provider import ProviderUnavailable
from bot.linking.account import forget_everything
from bot.messaging.listeners import retry_ediary_messages
from storage import messages as messages_repo
from storage import outbox
from storage.preferences import update_preferences
from tests.conftest import App
from tests.harness import MockedSession, make_bot
from tests.linking_support import one_code
from tests.messaging_story import (
    PARENT,
    PARENT_NAME,
    TEACHER,
    deliver,
    family_and_teacher,
    message_items,
    open_compose,
    write_to_teacher,
)


async def ediary_messages(app: App) -> list[tuple]:
    async with aiosqlite.connect(app.ctx.settings.demo_database_path) as conn:
        cursor = await conn.execute("SELECT sender_id, recipient_id, student_id, text FROM messages ORDER BY id")
        return [tuple(row) for row in await cursor.fetchall()]


async def test_a_teacher_who_links_later_gets_the_waiting_message_and_the_e_diary_carries_it_meanwhile(
    app: App,
) -> None:
    parent, _ = await family_and_teacher(app, teacher=False)
    answer = await write_to_teacher(parent, "Когда будет родительское собрание?", teacher="Орлова")
    assert "Орлова Ольга Сергеевна пока нет в школьном боте" in answer.text
    assert "через сообщения электронного дневника" in answer.text
    assert await ediary_messages(app) == [("p01", "t03", "s01", "Когда будет родительское собрание?")]
    await deliver(app)

    invitation = await one_code(app, "t03")  # days later the school hands Орлова her code
    app.clock.advance(days=2)
    orlova = app.client(6003, language_code="en")
    await orlova.send(f"/start {invitation.code}")
    await orlova.click(orlova.last_message(), "✅ Yes, link")
    await deliver(app)

    relayed = [m for m in orlova.messages if m.text and "Когда будет родительское собрание?" in m.text]
    assert len(relayed) == 1 and PARENT_NAME in relayed[0].text and "parent of" in relayed[0].text
    assert "Орлова Ольга Сергеевна теперь в школьном боте: ваше ожидавшее сообщение" in parent.last_message().text
    await orlova.reply(relayed[0], "On Friday at 18:00.")  # and the conversation goes on
    await deliver(app)
    assert "On Friday at 18:00." in parent.last_message().text


async def test_while_the_e_diary_is_down_its_copy_waits_for_the_next_pass(app: App) -> None:
    parent, _ = await family_and_teacher(app, teacher=False)
    demo = app.ctx.provider

    class Down:
        """The demo e-diary whose messaging times out (everything else answers)."""

        def __getattr__(self, name: str) -> object:
            return getattr(demo, name)

        async def send_message(self, *args: object) -> None:
            raise ProviderUnavailable("timeout")

    app.ctx.provider = Down()
    try:
        answer = await write_to_teacher(parent, "Вопрос про экскурсию", teacher="Орлова")
    finally:
        app.ctx.provider = demo
    assert "как только дневник ответит" in answer.text
    assert await ediary_messages(app) == []
    assert await retry_ediary_messages(app.ctx) == 1
    assert await ediary_messages(app) == [("p01", "t03", "s01", "Вопрос про экскурсию")]
    assert await retry_ediary_messages(app.ctx) == 0  # carried once


async def test_quiet_hours_defer_the_notification_and_never_drop_it(app: App) -> None:
    parent, teacher = await family_and_teacher(app)  # the teacher keeps the default quiet hours 22:00–07:00
    app.clock.set(datetime(2026, 11, 25, 23, 30))
    answer = await write_to_teacher(parent, "Поздний вопрос")
    assert "Сейчас у адресата время тишины, уведомление придёт завтра в 07:00." in answer.text
    assert await deliver(app) == 0
    assert teacher.messages == []
    app.clock.set(datetime(2026, 11, 26, 7, 0, 1))
    assert await deliver(app) == 1
    assert "Поздний вопрос" in teacher.last_message().text


async def test_message_alerts_off_means_silent_delivery_not_no_delivery(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await update_preferences(app.db, TEACHER, alert_messages=False)
    await write_to_teacher(parent)
    await deliver(app)
    assert app.session.sent("sendMessage", TEACHER)[-1].disable_notification is True
    assert "Артём завтра не придёт" in teacher.last_message().text


async def test_a_muted_thread_keeps_messages_in_the_inbox_without_notifying(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent, "первое")
    await deliver(app)
    await teacher.click(teacher.last_message(), "Переписка")
    history = teacher.last_message()
    await teacher.click(history, "Без уведомлений")
    assert "Уведомления выключены" in teacher.last_answer() and "Отправитель об этом не знает" in teacher.last_answer()
    assert "🔕 Без уведомлений: новые сообщения здесь сохраняются в /inbox" in teacher.last_message().text

    before = len(teacher.messages)
    answer = await write_to_teacher(parent, "второе, в беззвучную переписку")
    assert "✅ Отправлено" in answer.text  # the sender is not told about the mute
    await deliver(app)
    assert len(teacher.messages) == before
    await teacher.send("/inbox")
    inbox = teacher.last_message()
    assert "🔴 1 новое сообщение 🔕" in inbox.text and "второе, в беззвучную переписку" in inbox.text

    await teacher.click(inbox, "Иванов")
    await teacher.click(teacher.last_message(), "Включить уведомления")
    assert "Уведомления включены" in teacher.last_answer()
    await write_to_teacher(parent, "третье")
    await deliver(app)
    assert "третье" in teacher.last_message().text


async def test_twenty_messages_an_hour_then_a_clear_answer_and_the_draft_waits(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    for number in range(20):
        answer = await write_to_teacher(parent, f"вопрос {number + 1}")
        assert "✅ Отправлено" in answer.text
        app.clock.advance(minutes=2)  # 20 messages in 40 minutes
    await open_compose(parent)
    await parent.send("вопрос 21")
    preview = parent.last_message()
    await parent.click(preview, "Отправить")
    refusal = parent.last_message().text
    assert "За последний час вы написали учителям 20 сообщений — это предел." in refusal
    assert "Это сообщение можно будет отправить в 11:00: черновик сохранён" in refusal  # 10:00 + 1 hour
    assert len(await message_items(app, TEACHER)) == 20

    app.clock.set(datetime(2026, 11, 25, 11, 0, 1))  # the first message is more than an hour old now
    await parent.click(preview, "Отправить")
    assert "✅ Отправлено" in parent.last_message().text
    await deliver(app)
    assert "вопрос 21" in teacher.last_message().text


async def test_a_restart_between_sending_and_delivery_delivers_exactly_once(app: App) -> None:
    parent, _ = await family_and_teacher(app)
    await write_to_teacher(parent, "переживёт перезапуск")  # stored and queued; the bot stops before sending

    dp = create_dispatcher(
        app.ctx.settings, clock=app.clock, provider=app.ctx.provider, run_scheduler=False, set_commands=False
    )
    session = MockedSession(app.session.core)  # the same Telegram, a new process on the same database files
    bot = make_bot(session)
    await startup(dp, bot)
    try:
        assert await deliver_due(dp["ctx"]) == 1
        assert await deliver_due(dp["ctx"]) == 0
    finally:
        dp["ctx"].provider = None
        await shutdown(dp, bot)
    teacher_texts = [m.text for m in app.client(TEACHER).messages]
    assert sum("переживёт перезапуск" in t for t in teacher_texts) == 1
    assert [i.status for i in await message_items(app, TEACHER)] == ["sent"]


async def test_a_telegram_error_delays_the_message_but_does_not_lose_or_double_it(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    app.session.fail_next("sendMessage", 500, chat_id=TEACHER)
    await write_to_teacher(parent, "после сбоя")
    assert await deliver_due(app.ctx) == 0
    app.clock.advance(minutes=1)
    await deliver(app)
    assert [m.text.count("после сбоя") for m in teacher.messages] == [1]


async def test_forget_erases_what_the_parent_wrote_and_keeps_the_teachers_own_answers(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent, "первое письмо")
    await deliver(app)
    await teacher.reply(teacher.last_message(), "ответ учителя")
    await deliver(app)
    app.clock.set(datetime(2026, 11, 25, 23, 0))  # quiet hours: this one is still queued for the teacher
    await write_to_teacher(parent, "ещё не доставлено")

    await forget_everything(app.ctx, app.db, user_id=PARENT, now=app.clock.now())

    [thread] = await messages_repo.threads_of_people(app.db, ["t01"])
    remaining = await messages_repo.message_page(app.db, thread.id, 0, 10)
    assert [(m.from_teacher, m.body) for m in remaining] == [(True, "ответ учителя")]
    assert [i for i in await outbox.items_for_chat(app.db, TEACHER) if i.status == "pending"] == []
    app.clock.advance(timedelta(hours=9))
    await deliver(app)
    assert not any("ещё не доставлено" in (m.text or "") for m in teacher.messages)
