"""A teacher starts a conversation with a student's parents: /message → class → student → «write to the parents»;
the message goes into one thread per parent, relayed as any teacher's answer is.

Demo people: t01 Белова teaches 5А and 7Б; t04 Васильева teaches only 9В; s01 Иванов Артём (5А) has the parents
p01 Иванов Алексей Викторович and p02 Иванова Мария Сергеевна.
"""

from __future__ import annotations

from datetime import time

import pytest

from bot.ediary.model import Person, Role, Sex, Student
from bot.i18n import create_i18n
from bot.messaging.copies import telegram_message_id
from bot.messaging.outreach_screens import parents_of
from bot.ui import Translator
from storage import messages as messages_repo
from tests.alerts_story import follow
from tests.conftest import App
from tests.messaging_story import OTHER_PARENT, PARENT, TEACHER, buttons, deliver, forged_click, message_items

HEADER = "✉️ Белова Елена Викторовна, учитель (Математика)\nоб ученике: Иванов Артём Алексеевич, 5А класс"


async def open_parents(app: App, *, language: str = "ru"):
    """Teacher t01 at /message → 5А → Иванов Артём; returns the teacher's chat."""
    await app.link(TEACHER, "t01", "teacher", language=language)
    teacher = app.client(TEACHER, language_code=language)
    await teacher.send("/message")
    await teacher.click(teacher.last_message(), "5А")
    await teacher.click(teacher.last_message(), "Иванов Артём")
    return teacher


async def test_a_teacher_writes_to_both_parents_each_in_their_own_thread(app: App) -> None:
    await follow(app, PARENT, "p01", "parent")
    await follow(app, OTHER_PARENT, "p02", "parent")
    await app.link(TEACHER, "t01", "teacher")
    teacher = app.client(TEACHER)
    await teacher.send("/message")
    classes = teacher.last_message()
    assert classes.text.startswith("✉️ Чтобы написать родителям ученика, выберите класс.")
    assert buttons(classes) == ["5А", "7Б", "✖️ Отмена"]
    await teacher.click(classes, "5А")
    pupils = teacher.last_message()
    assert pupils.message_id == classes.message_id  # in place
    assert pupils.text == "✉️ 5А класс: чьим родителям вы хотите написать?"
    assert buttons(pupils)[:3] == ["Зайцева Алиса", "Иванов Артём", "Козлова Полина"]  # journal order
    assert buttons(pupils)[-2:] == ["⬅️ Назад", "✖️ Отмена"]
    await teacher.click(pupils, "Иванов Артём")
    parents = teacher.last_message().text
    assert "Иванов Артём Алексеевич, 5А класс" in parents
    assert "• Иванов Алексей Викторович — в боте\n• Иванова Мария Сергеевна — в боте" in parents
    await teacher.click(teacher.last_message(), "✍️ Написать родителям")
    prompt = teacher.last_message().text
    assert prompt.startswith("✍️ Ваше сообщение:\nИванов Алексей Викторович, Иванова Мария Сергеевна\n")

    await teacher.send("Добрый день! Артём сегодня отлично выступил на олимпиаде.")
    preview = teacher.last_message()
    assert "Проверьте сообщение" in preview.text and "отлично выступил" in preview.text
    assert await message_items(app, PARENT) == []
    await teacher.click(preview, "✅ Отправить")
    outcome = teacher.last_message().text
    assert "• Иванов Алексей Викторович — ✅ отправлено\n• Иванова Мария Сергеевна — ✅ отправлено" in outcome
    assert outcome.endswith("Ответы придут в этот чат; вся переписка — в /inbox.")
    assert await deliver(app) == 2

    for parent_id in (PARENT, OTHER_PARENT):
        relayed = app.client(parent_id).last_message()
        assert relayed.text.startswith(HEADER)
        assert "Артём сегодня отлично выступил на олимпиаде." in relayed.text
        assert buttons(relayed) == ["↩️ Ответить", "💬 Переписка"]
    threads = await messages_repo.threads_of_people(app.db, ["t01"])
    assert sorted(t.sender_person_id for t in threads) == ["p01", "p02"]

    mother = app.client(OTHER_PARENT)
    await mother.reply(mother.last_message(), "Спасибо, очень приятно!")
    assert "✅ Отправлено: Белова Елена Викторовна" in mother.last_message().text
    await deliver(app)
    answer = teacher.last_message().text
    assert "Иванова Мария Сергеевна, родитель ученика Иванов Артём Алексеевич, 5А класс" in answer
    assert "Спасибо, очень приятно!" in answer
    assert app.client(PARENT).last_message().text.startswith(HEADER)  # the father's thread is his own


async def test_a_parent_not_in_the_bot_yet_gets_it_on_joining_and_through_the_e_diary(app: App) -> None:
    await follow(app, PARENT, "p01", "parent")
    teacher = await open_parents(app)
    assert "• Иванова Мария Сергеевна — ещё не в боте" in teacher.last_message().text
    assert "Кто ещё не в боте, получит ваше сообщение, как только присоединится." in teacher.last_message().text
    await teacher.click(teacher.last_message(), "Написать родителям")
    await teacher.send("Прошу зайти в школу в четверг.")
    await teacher.click(teacher.last_message(), "Отправить")
    outcome = teacher.last_message().text
    assert "• Иванов Алексей Викторович — ✅ отправлено" in outcome
    assert (
        "• Иванова Мария Сергеевна — ещё не в боте: получит сообщение, как только присоединится; "
        "также отправлено через сообщения электронного дневника"
    ) in outcome
    await deliver(app)
    await follow(app, OTHER_PARENT, "p02", "parent")
    await app.ctx.events.person_linked(app.ctx, OTHER_PARENT, "p02", "parent")
    await deliver(app)
    assert "Прошу зайти в школу в четверг." in app.client(OTHER_PARENT).last_message().text


async def test_a_photo_goes_to_each_parent_copied_from_the_teachers_chat(app: App) -> None:
    await follow(app, PARENT, "p01", "parent")
    await follow(app, OTHER_PARENT, "p02", "parent")
    teacher = await open_parents(app)
    await teacher.click(teacher.last_message(), "Написать родителям")
    photo = await teacher.send_photo(caption="Грамота за олимпиаду")
    assert "📷 Фото" in teacher.last_message().text
    await teacher.click(teacher.last_message(), "Отправить")
    await deliver(app)
    for parent_id in (PARENT, OTHER_PARENT):
        copy = app.session.sent("copyMessage", parent_id)[-1]
        assert (copy.from_chat_id, copy.message_id) == (TEACHER, photo.message_id)
        assert copy.caption.startswith("✉️ <b>Белова Елена Викторовна</b>, учитель (Математика)\nоб ученике: ")
        assert copy.caption.endswith("📷 Фото\n\nГрамота за олимпиаду")
    stored = [
        await messages_repo.last_message(app.db, t.id) for t in await messages_repo.threads_of_people(app.db, ["t01"])
    ]
    assert {m.source_message_id for m in stored if m} != {photo.message_id}  # two rows: the copies are apart
    assert {telegram_message_id(m.source_message_id) for m in stored if m} == {photo.message_id}


async def test_send_pressed_again_and_buttons_of_others_change_nothing(app: App) -> None:
    await follow(app, PARENT, "p01", "parent")
    teacher = await open_parents(app)
    await teacher.click(teacher.last_message(), "Написать родителям")
    await teacher.send("Одно сообщение")
    preview = teacher.last_message()
    await teacher.click(preview, "Отправить")
    await forged_click(teacher, preview, "md:psend")
    assert teacher.last_answer() == "Этого черновика уже нет: он отправлен или отменён."
    await deliver(app)
    assert [m.text.count("Одно сообщение") for m in app.client(PARENT).messages] == [1]

    await app.link(7004, "t04", "teacher")  # teaches 9В only
    other = app.client(7004)
    await other.send("/message")
    screen = other.last_message()
    await forged_click(other, screen, "mk:5А")
    assert other.last_answer() == "Этот класс вам недоступен."
    await forged_click(other, screen, "mp:s01")
    assert other.last_answer() == "Этот ученик вам недоступен."
    await forged_click(other, screen, "mw:s01")
    assert other.last_answer() == "Этот ученик вам недоступен."
    parent = app.client(PARENT)
    await forged_click(parent, parent.last_message(), "mq")
    assert parent.last_answer() == "Этот класс вам недоступен."


async def test_cancel_while_writing_to_parents(app: App) -> None:
    await follow(app, PARENT, "p01", "parent")
    teacher = await open_parents(app)
    await teacher.click(teacher.last_message(), "Написать родителям")
    await teacher.send("/cancel")
    assert teacher.last_message().text == "Отменено: ничего не отправлено."
    await teacher.send("Текст после отмены")
    assert await message_items(app, PARENT) == []


async def test_a_teacher_who_is_also_a_parent_reaches_both_ways(app: App) -> None:
    await app.link(TEACHER, "p03", "parent")  # Петров: Анна (5А) and Михаил (7Б)
    await app.link(TEACHER, "t01", "teacher")
    teacher = app.client(TEACHER)
    await teacher.send("/message")
    chooser = teacher.last_message()
    assert "О каком ребёнке" in chooser.text
    assert "👩\u200d🏫 Как учитель: написать родителям ученика" in buttons(chooser)
    await teacher.click(chooser, "Как учитель")
    classes = teacher.last_message()
    assert buttons(classes) == ["5А", "7Б", "⬅️ Назад", "✖️ Отмена"]
    assert "тоже пишут вам здесь" not in classes.text
    await teacher.click(classes, "Назад")
    assert "О каком ребёнке" in teacher.last_message().text


async def test_english_and_quiet_hours(app: App) -> None:
    await follow(app, PARENT, "p01", "parent", quiet_start=time(9, 0), quiet_end=time(12, 0))
    teacher = await open_parents(app, language="en")
    assert teacher.last_message().text.startswith("👪 Parents of Иванов Артём Алексеевич, class 5А\n")
    await teacher.click(teacher.last_message(), "Write to the parents")
    await teacher.send("Hello!")
    await teacher.click(teacher.last_message(), "Send")
    outcome = teacher.last_message().text
    assert outcome.startswith("📨 Parents of Иванов Артём Алексеевич, class 5А:")
    assert (
        "• Иванов Алексей Викторович — sent; outside their notification hours, they will be notified at 12:00"
        in outcome
    )
    assert "• Иванова Мария Сергеевна — not in the bot yet: they get it as soon as they join" in outcome


@pytest.mark.parametrize(
    ("sex", "russian", "english"),
    [
        (Sex.MALE, "родители ученика Иванов Артём, 5А класс", "parents of Иванов Артём, class 5А"),
        (Sex.FEMALE, "родители ученицы Иванов Артём, 5А класс", "parents of Иванов Артём, class 5А"),
        (None, "родители: Иванов Артём, 5А класс", "parents of Иванов Артём, class 5А"),
    ],
)
def test_the_student_is_named_by_their_sex_where_the_e_diary_gives_it(sex, russian, english) -> None:
    i18n = create_i18n()
    student = Student(Person("s1", "Иванов Артём", Role.STUDENT, sex), "5А", "school")
    assert parents_of(student, Translator(i18n, "ru")) == russian
    assert parents_of(student, Translator(i18n, "en")) == english
