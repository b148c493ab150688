"""/inbox: open conversations with the last message and unread counts; a thread's history a page at a time."""

from __future__ import annotations

from tests.conftest import App
from tests.messaging_story import STUDENT, buttons, deliver, family_and_teacher, write_to_teacher


async def test_teacher_inbox_lists_threads_latest_first_with_the_last_message_and_real_plurals(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await app.link(5004, "p03", "parent")  # Петрова Анна's parent, 5А
    await app.link(STUDENT, "s03", "student")  # Сидоров Кирилл, 5А
    other_parent, student = app.client(5004), app.client(STUDENT)
    for number in range(5):
        await write_to_teacher(student, f"вопрос ученика {number + 1}", child=None)
    for number in range(2):
        await write_to_teacher(other_parent, f"вопрос родителя {number + 1}", child="Анна")
        app.clock.advance(minutes=1)
    await write_to_teacher(parent, "самое свежее")

    await teacher.send("📥 Сообщения")
    text = teacher.last_message().text
    lines = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert lines[0].startswith("1. Иванов Алексей Викторович, родитель ученика Иванов Артём Алексеевич")
    assert lines[0].endswith("🔴 1 новое сообщение")
    assert (
        "родитель ученицы Петрова Анна Сергеевна" in lines[1]
    )  # a girl: «ученицы» (issue 11, item 8) and lines[1].endswith("🔴 2 новых сообщения")
    assert "Сидоров Кирилл Дмитриевич, ученик 5А класса" in lines[2] and lines[2].endswith("🔴 5 новых сообщений")
    assert "10:02, Иванов А. В.: самое свежее" in text
    assert "вопрос ученика 5" in text and "вопрос ученика 4" not in text  # only the last message of each


async def test_a_thread_opens_paged_in_place_and_opening_marks_it_read(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await write_to_teacher(parent, "сообщение 1")
    await deliver(app)
    for number in range(2, 15):  # 14 messages, answered by Telegram reply; the parent writes the last two
        side = teacher if number % 2 == 0 and number < 13 else parent
        await side.reply(next(m for m in reversed(side.messages) if "↩️ Ответить" in buttons(m)), f"сообщение {number}")
        await deliver(app)

    await teacher.send("/inbox")
    inbox = teacher.last_message()
    assert "🔴 2 новых сообщения" in inbox.text  # answering marked the earlier ones read
    await teacher.click(inbox, "Иванов")
    page = teacher.last_message()
    assert page.message_id == inbox.message_id
    assert "Сообщения 10–14 из 14:" in page.text and "сообщение 14" in page.text and "сообщение 9\n" not in page.text
    assert "Вы ·" in page.text and "Иванов Алексей Викторович ·" in page.text
    await teacher.click(page, "⬅️ Раньше")
    assert "Сообщения 5–9 из 14:" in teacher.last_message().text
    await teacher.click(teacher.last_message(), "⬅️ Раньше")
    earliest = teacher.last_message()
    assert "Сообщения 1–4 из 14:" in earliest.text and "⬅️ Раньше" not in buttons(earliest)
    await teacher.click(earliest, "Позже ➡️")
    assert "Сообщения 5–9 из 14:" in teacher.last_message().text
    assert teacher.last_message().message_id == inbox.message_id  # all of it edited in place

    await teacher.click(teacher.last_message(), "📥 Вся переписка")
    assert "🔴" not in teacher.last_message().text and "Иванов А. В.: сообщение 14" in teacher.last_message().text
    await parent.send("/inbox")
    assert "Вы: сообщение 14" in parent.last_message().text and "🔴" not in parent.last_message().text


async def test_parent_and_student_inboxes_name_the_teacher_and_the_student(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    await app.link(STUDENT, "s01", "student")
    await write_to_teacher(parent)
    await write_to_teacher(app.client(STUDENT), "вопрос от Артёма", child=None)
    await deliver(app)
    await teacher.reply(teacher.messages[0], "ответ родителю")
    await deliver(app)

    await parent.send("/inbox")
    text = parent.last_message().text
    assert "Белова Елена Викторовна, учитель (Математика), об ученике: Иванов Артём Алексеевич" in text
    assert "🔴 1 новое сообщение" in text and "ответ родителю" in text
    assert "вопрос от Артёма" not in text  # the student's own thread is not the parent's
    student = app.client(STUDENT)
    await student.send("/inbox")
    text = student.last_message().text
    assert "Белова Елена Викторовна, учитель (Математика)" in text and "об ученике" not in text
    assert "Вы: вопрос от Артёма" in text


async def test_many_threads_are_paged_too(app: App) -> None:
    parent, _ = await family_and_teacher(app, teacher=False)
    for teacher in ("Белова", "Кузнецов", "Орлова", "Егорова", "Михайлов", "Никитина", "Фёдоров"):
        await write_to_teacher(parent, f"вопрос: {teacher}", teacher=teacher)
        app.clock.advance(minutes=1)
    await parent.send("/inbox")
    first = parent.last_message()
    assert "(страница 1 из 2)" in first.text and "Фёдоров" in first.text and "Белова" not in first.text
    await parent.click(first, "Дальше ➡️")
    second = parent.last_message()
    assert second.message_id == first.message_id
    assert "(страница 2 из 2)" in second.text and "7. Белова Елена Викторовна" in second.text


async def test_a_long_text_and_a_photo_open_in_full_from_the_history(app: App) -> None:
    parent, teacher = await family_and_teacher(app)
    long_text = "Подробное письмо. " * 60
    await write_to_teacher(parent, long_text.strip())
    await parent.send("/message")
    await parent.click(parent.last_message(), "Артём")
    await parent.click(parent.last_message(), "Белова")
    await parent.send_photo(caption="фото тетради")
    await parent.click(parent.last_message(), "Отправить")
    await teacher.send("/inbox")  # nothing delivered yet: the teacher reads it in the history
    await teacher.click(teacher.last_message(), "Иванов")
    history = teacher.last_message()
    assert "…" in history.text and len(history.text) < 1500
    openers = [b for b in buttons(history) if b.startswith(("📄", "📷"))]
    assert len(openers) == 2
    await teacher.click(history, openers[0])
    assert teacher.last_message().text.endswith(
        long_text.strip() + "\n\nЧтобы ответить, ответьте на это сообщение или нажмите «Ответить»."
    )
    await teacher.click(history, openers[1])
    assert teacher.last_message().photo and "фото тетради" in teacher.last_message().caption


async def test_empty_inboxes_say_what_to_do(app: App) -> None:
    stranger = app.client(7001)
    await stranger.send("/inbox")
    assert "сначала привяжите аккаунт" in stranger.last_message().text
    parent, teacher = await family_and_teacher(app)
    await parent.send("/inbox")
    assert "Написать учителю: /message" in parent.last_message().text
    await teacher.send("/inbox")
    assert "Когда родители или ученики напишут вам" in teacher.last_message().text
