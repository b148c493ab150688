"""The teacher answers in the chat — by replying in Telegram or with the button — and the conversation goes on."""

from __future__ import annotations

import asyncio

from bot.messaging import service
from storage import links as links_repo
from storage import messages as messages_repo
from tests.conftest import App
from tests.harness.waiting import eventually
from tests.messaging_story import (
    OTHER_PARENT,
    PARENT,
    PARENT_NAME,
    TEACHER,
    TEACHER_NAME,
    buttons,
    deliver,
    family_and_teacher,
    forged_click,
    message_items,
    write_to_teacher,
)


async def test_teacher_replies_in_telegram_and_the_parent_answers_with_the_button_in_one_thread(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent, "Артём болеет, можно задание на дом?")
    await deliver(app)

    await teacher.reply(teacher.last_message(), "Выздоравливайте! Задание: №15, 16.")
    assert f"✅ Отправлено: {PARENT_NAME}" in teacher.last_message().text
    await deliver(app)
    answer = parent.last_message()
    assert f"{TEACHER_NAME}, учитель (Математика)" in answer.text
    assert "об ученике: Иванов Артём Алексеевич, 5А класс" in answer.text
    assert "Выздоравливайте! Задание: №15, 16." in answer.text
    assert "Helen" not in answer.text and "elena_tg" not in answer.text and str(TEACHER) not in answer.text
    assert buttons(answer) == ["↩️ Ответить", "💬 Переписка"]

    await parent.click(answer, "Ответить")
    assert "Ваш ответ" in parent.last_message().text
    await parent.send("Спасибо большое!")
    assert "✅ Отправлено" in parent.last_message().text
    await deliver(app)
    assert "Спасибо большое!" in teacher.last_message().text

    await teacher.click(teacher.last_message(), "Ответить")  # the teacher answers with the button, a photo this time
    await teacher.send_photo(caption="Образец решения")
    await deliver(app)
    assert parent.last_message().photo and "Образец решения" in parent.last_message().caption

    [thread] = await messages_repo.threads_of_people(app.db, ["t01"])
    assert await messages_repo.count_messages(app.db, thread.id) == 4


async def test_a_parent_can_answer_by_replying_in_telegram_too(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent)
    await deliver(app)
    await teacher.reply(teacher.last_message(), "Хорошо, отмечу.")
    await deliver(app)
    await parent.reply(parent.last_message(), "Спасибо!")
    await deliver(app)
    assert "Спасибо!" in teacher.last_message().text and PARENT_NAME in teacher.last_message().text


async def test_a_reply_to_another_bot_message_is_not_taken_for_an_answer(app: App) -> None:
    parent, _teacher = await family_and_teacher(app)
    confirmation = await write_to_teacher(parent)
    await parent.reply(confirmation, "это не ответ учителю")
    assert "не понял" in parent.last_message().text
    assert len(await message_items(app, TEACHER)) == 1


async def test_the_answer_reaches_every_account_of_the_parent(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await app.link(5005, "p01", "parent")  # the same parent on a second phone
    await write_to_teacher(parent)
    await deliver(app)
    await teacher.reply(teacher.last_message(), "Принято.")
    await deliver(app)
    assert "Принято." in parent.last_message().text
    assert "Принято." in app.client(5005).last_message().text


async def test_someone_elses_thread_cannot_be_opened_answered_or_muted(app: App) -> None:
    parent, _teacher = await family_and_teacher(app)
    await write_to_teacher(parent)
    [thread] = await messages_repo.threads_of_people(app.db, ["t01"])
    await app.link(OTHER_PARENT, "p03", "parent")  # another 5А family
    other = app.client(OTHER_PARENT)
    await other.send("/inbox")
    screen = other.last_message()
    for data in (f"mr:{thread.id}", f"mh:{thread.id}:0:0", f"mm:{thread.id}:1", f"mr:{thread.id + 100}"):
        await forged_click(other, screen, data)
        assert other.last_answer() == "Эта переписка вам недоступна."
    await forged_click(parent, parent.last_message(), f"mm:{thread.id}:1")  # only the teacher may mute
    assert parent.last_answer() == "Эта переписка вам недоступна."
    assert not await messages_repo.is_muted(app.db, thread.id, PARENT)


async def test_after_unlinking_an_old_message_cannot_be_answered(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent)
    await deliver(app)
    await teacher.reply(teacher.last_message(), "Ответ.")
    await deliver(app)
    await links_repo.remove_link(app.db, PARENT, "p01")
    await parent.reply(parent.last_message(), "ещё вопрос")
    assert "Эта переписка вам больше недоступна." in parent.last_message().text
    assert len(await message_items(app, TEACHER)) == 1


async def test_a_reply_that_overtakes_the_senders_record_is_still_an_answer(app: App) -> None:
    """Telegram has delivered the relay and the teacher answers before the sender has written down the
    message's id (seen end to end: the answer got «I pass on replies only»). The lookup waits for it."""
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent)
    sending = app.session.core.hold_next("sendMessage", chat_id=TEACHER)
    delivering = asyncio.create_task(deliver(app))
    await sending.reached.wait()

    writes_held, let_writes_go = asyncio.Event(), asyncio.Event()

    async def hold_writes() -> None:  # the sender cannot record Telegram's answer until the test says so
        async with app.db.transaction():
            writes_held.set()
            await let_writes_go.wait()

    holder = asyncio.create_task(hold_writes())
    await writes_held.wait()
    sending.release()
    await eventually(lambda: app.session.core.bot_messages(TEACHER), "the relay reached the teacher")
    relayed = teacher.last_message()

    lookup = asyncio.create_task(service.replied_thread(app.ctx, TEACHER, relayed.message_id))
    try:
        await asyncio.sleep(0)  # its first look finds nothing recorded
        assert not lookup.done()
    finally:
        let_writes_go.set()
        await holder
        await delivering
    [thread] = await messages_repo.threads_of_people(app.db, ["t01"])
    assert await lookup == thread.id
    assert not app.ctx.delivery.landing  # nothing in flight is left waited for


async def test_a_reply_to_a_message_not_in_flight_does_not_wait(app: App) -> None:
    await family_and_teacher(app)
    assert await service.replied_thread(app.ctx, TEACHER, 12345) is None
