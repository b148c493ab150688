"""A family's morning: /today shows every lesson with its bells, room, teacher, homework and marks,
every change spelled out, and buttons that move between days in place."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.ediary.demo import DemoProvider, commands
from tests.conftest import App

WEDNESDAY = date(2026, 11, 25)  # the test clock's today
PARENT_OF_S03 = "p05"  # one child: Кирилл Сидоров, 5А


def strikethrough(message) -> list[str]:
    """The struck-out pieces of a message (entity offsets count UTF-16 code units)."""
    raw = message.text.encode("utf-16-le")
    return [
        raw[2 * e.offset : 2 * (e.offset + e.length)].decode("utf-16-le")
        for e in message.entities or []
        if e.type == "strikethrough"
    ]


def buttons(message) -> list[str]:
    return [b.text for row in message.reply_markup.inline_keyboard for b in row]


@pytest.fixture
async def changed_wednesday(provider: DemoProvider) -> None:
    """5А on Wednesday: 1 Русский язык (t03) substituted by Белова, 2 Английский moved, 3 Физкультура
    cancelled, 6 an added Mathematics lesson; 4 and 5 stay as planned."""
    await commands.change_lesson(provider, "5А", WEDNESDAY, 1, teacher="t01", reason="болезнь учителя")
    await commands.change_lesson(provider, "5А", WEDNESDAY, 2, room="105", reason="ремонт кабинета")
    await commands.change_lesson(provider, "5А", WEDNESDAY, 3, cancel=True, reason="экскурсия в музей")
    await commands.change_lesson(
        provider,
        "5А",
        WEDNESDAY,
        6,
        add_subject="Математика",
        teacher="t01",
        reason="консультация перед контрольной работой",
    )


async def parent(app: App, user_id: int = 1, person: str = PARENT_OF_S03, language: str = "ru"):
    await app.link(user_id, person, "parent", language=None)
    return app.client(user_id, language_code=language)


async def test_a_normal_lesson_shows_bells_room_teacher_homework_and_marks(app: App, provider) -> None:
    await commands.add_grade(provider, "s03", "Информатика", "5", WEDNESDAY, work_type="Практическая работа")
    user = await parent(app)
    await user.send("/today")
    text = user.last_message().text
    assert text.startswith("📅 Среда, 25 ноября · сегодня")
    assert "👤 Кирилл Сидоров, 5А" in text
    assert "4. 11:35–12:20 · Информатика\n      каб. 301 · Кузнецов А. Н." in text
    assert "📝 Д/з: § 8, задания в рабочей тетради" in text  # due today, at this lesson
    # the demo already gave a mark in this lesson; the new one joins it, both under the lesson
    assert (
        "4. 11:35–12:20 · Информатика\n      каб. 301 · Кузнецов А. Н.\n"
        "      📝 Д/з: § 8, задания в рабочей тетради\n"
        "      ✅ Оценки: 4 (Ответ на уроке), 5 (Практическая работа)"
    ) in text
    assert "1. 08:30–09:15 · Русский язык" in text and "✅ Оценка: 4 (Ответ на уроке)" in text
    assert "5. 12:30–13:15 · Математика\n      каб. 204 · Белова Е. В.\n      📝 Д/з: № 458 (а, б), № 463" in text
    assert "изменени" not in text  # nothing changed in 5А today


async def test_every_kind_of_change_is_unmistakable(app: App, changed_wednesday) -> None:
    user = await parent(app)
    await user.send("/today")
    message = user.last_message()
    text = message.text
    assert "⚠️ 4 изменения в расписании" in text
    assert (
        "1. 08:30–09:15 · Русский язык\n      каб. 210\n      🔁 Замена: ведёт Белова Е. В. "
        "(по расписанию — Орлова О. С.), причина: болезнь учителя"
    ) in text
    assert "2. 09:25–10:10 · Английский язык" in text
    assert "🚪 Другой кабинет: 307 → 105, причина: ремонт кабинета" in text
    assert "3. 10:30–11:15 · Физическая культура\n      ❌ Урок отменён, причина: экскурсия в музей" in text
    assert "6. 13:25–14:10 · Математика\n      каб. 204 · Белова Е. В.\n      ➕ Дополнительный урок" in text
    assert "10:30–11:15 · Физическая культура" in strikethrough(message)
    assert "307" in strikethrough(message)  # the old room is struck out


async def test_the_same_day_in_english(app: App, changed_wednesday) -> None:
    user = await parent(app, language="en")
    await user.send("/today")
    text = user.last_message().text
    assert text.startswith("📅 Wednesday, 25 November · today")
    assert "🔁 Substitute: Белова Е. В. (instead of Орлова О. С.), reason: болезнь учителя" in text
    assert "❌ Cancelled, reason: экскурсия в музей" in text
    assert "🚪 Room changed: 307 → 105" in text
    assert "➕ Added lesson" in text
    assert "⚠️ 4 changes in the timetable" in text


async def test_the_menu_button_and_tomorrow(app: App) -> None:
    user = await parent(app)
    await user.send("📅 Расписание")
    assert user.last_message().text.startswith("📅 Среда, 25 ноября · сегодня")
    await user.send("/tomorrow")
    text = user.last_message().text
    assert text.startswith("📅 Четверг, 26 ноября · завтра")
    assert "🚪 Другой кабинет: 204 → 112, причина: ремонт кабинета" in text  # the demo's own change
    assert "✅" not in text  # no marks in the future


async def test_day_buttons_edit_the_message_in_place(app: App) -> None:
    user = await parent(app)
    await user.send("/today")
    view = user.last_message()
    assert buttons(view) == ["◀️ Вт 24.11", "📍 Сегодня", "Чт 26.11 ▶️", "🗓 Неделя"]
    await user.click(view, "Чт 26.11 ▶️")
    assert user.last_message().text.startswith("📅 Четверг, 26 ноября · завтра")
    await user.click(view, "Пт 27.11 ▶️")
    assert "❌ Урок отменён" in user.last_message().text  # the demo cancels 5А's PE on Friday
    await user.click(view, "◀️ Чт 26.11")
    await user.click(view, "📍 Сегодня")
    assert user.last_message().text.startswith("📅 Среда, 25 ноября · сегодня")
    edits = len(app.session.core.calls("editMessageText"))
    await user.click(view, "📍 Сегодня")  # nothing changed: still a quiet answer, no error
    assert user.last_answer() is None
    assert len(app.session.core.calls("editMessageText")) == edits  # the screen is already there: no edit
    assert app.session.core.refusals == []  # nothing Telegram would refuse as "not modified"
    assert len(user.messages) == 1  # every step edited the one message
    assert user.last_message().message_id == view.message_id


async def test_a_weekend_says_so_and_offers_the_next_school_day(app: App) -> None:
    app.clock.set(datetime(2026, 11, 28, 9, 0))  # Saturday
    user = await parent(app)
    await user.send("/today")
    message = user.last_message()
    assert message.text.startswith("📅 Суббота, 28 ноября — уроков нет")
    assert "Следующий учебный день — понедельник, 30 ноября." in message.text  # a weekday mid-sentence
    await user.click(message, "➡️ Понедельник, 30 ноября")
    text = user.last_message().text
    assert text.startswith("📅 Понедельник, 30 ноября")
    assert "1. 08:30–09:15 · История" in text


async def test_holidays_point_to_the_first_day_after_them(app: App) -> None:
    app.clock.set(datetime(2026, 12, 30, 9, 0))  # winter holidays until 11 January
    user = await parent(app)
    await user.send("/today")
    text = user.last_message().text
    assert text.startswith("📅 Среда, 30 декабря — уроков нет")
    assert "Следующий учебный день — вторник, 12 января." in text
    english = await parent(app, user_id=2, language="en")
    await english.send("/today")
    assert "Next school day: Tuesday, 12 January." in english.last_message().text


async def test_times_and_today_follow_the_school_timezone(app: App) -> None:
    # 22:30 UTC on Wednesday is 01:30 on Thursday in Moscow: the school's "today" is Thursday
    app.clock.set(datetime(2026, 11, 25, 22, 30, tzinfo=UTC))
    user = await parent(app)
    await user.send("/today")
    assert user.last_message().text.startswith("📅 Четверг, 26 ноября · сегодня")
    # 07:40 UTC is 10:40 in Moscow: the third lesson (10:30–11:15) is on now
    app.clock.set(datetime(2026, 11, 26, 7, 40, tzinfo=UTC))
    await user.send("/today")
    text = user.last_message().text
    assert "3. 10:30–11:15 · Музыка ⏰ идёт сейчас" in text
    assert text.count("идёт сейчас") == 1


async def test_an_unlinked_account_is_told_how_to_link(app: App) -> None:
    user = app.client(50)
    await user.send("/today")
    assert "/link" in user.last_message().text
    await user.send("/week")
    assert "/link" in user.last_message().text


async def test_homework_and_marks_without_a_lesson_that_day_are_not_lost(app: App, provider) -> None:
    await commands.add_homework(provider, "5А", "Музыка", WEDNESDAY, "Принести флейту")
    await commands.add_grade(provider, "s03", "Музыка", "5", WEDNESDAY, work_type="Работа на уроке")
    await commands.add_homework(provider, "5А", "Математика", date(2026, 11, 28), "Задачи олимпиады, № 1–3")
    user = await parent(app)
    await user.send("/today")  # no Music on Wednesdays
    text = user.last_message().text
    assert "📝 Ещё задано на этот день — Музыка: Принести флейту" in text
    assert "✅ Другие оценки за этот день: Музыка 5 (Работа на уроке)" in text
    app.clock.set(datetime(2026, 11, 28, 9, 0))  # Saturday: no lessons, but homework is due
    await user.send("/today")
    text = user.last_message().text
    assert text.startswith("📅 Суббота, 28 ноября — уроков нет")
    assert "📝 Ещё задано на этот день — Математика: Задачи олимпиады, № 1–3" in text


async def test_homework_due_at_a_cancelled_lesson_is_listed_under_the_day(
    app: App, provider, changed_wednesday
) -> None:
    await commands.add_homework(provider, "5А", "Физическая культура", WEDNESDAY, "Принести форму")
    await commands.add_homework(provider, "5А", "Математика", WEDNESDAY, "Повторить дроби")
    user = await parent(app)
    await user.send("/today")
    text = user.last_message().text
    cancelled = text.split("3. 10:30–11:15 · Физическая культура")[1].split("\n4. ")[0]
    assert "Принести форму" not in cancelled  # nothing is due at a lesson that is not held
    assert "📝 Ещё задано на этот день — Физическая культура: Принести форму" in text
    assert "5. 12:30–13:15 · Математика\n      каб. 204 · Белова Е. В.\n      📝 Д/з: № 458 (а, б), № 463" in text
    assert "📝 Д/з: Повторить дроби" in text.split("5. 12:30–13:15 · Математика")[1].split("\n6. ")[0]


async def test_a_mark_given_by_someone_else_than_the_lessons_teacher_names_who_gave_it(
    app: App, provider, changed_wednesday
) -> None:
    # Белова covers Русский язык; the mark in that lesson was given by Орлова, the class's own teacher
    await commands.add_grade(provider, "s03", "Русский язык", "5", WEDNESDAY, work_type="Диктант", weight=1)
    user = await parent(app)
    await user.send("/today")
    text = user.last_message().text
    # the demo's own mark (given before the change) and ours, both by Орлова, not by Белова who teaches it
    assert "✅ Оценки: 4 (Ответ на уроке · Орлова О. С.), 5 (Диктант · Орлова О. С.)" in text
    assert "4. 11:35–12:20 · Информатика\n      каб. 301 · Кузнецов А. Н.\n" in text
    assert "✅ Оценка: 4 (Ответ на уроке)\n" in text  # Кузнецов's own mark in his lesson: no name


async def test_an_absence_is_shown_as_attendance_not_as_a_mark(app: App, provider) -> None:
    await commands.add_grade(provider, "s03", "Математика", "н", WEDNESDAY)
    await commands.add_grade(provider, "s03", "Музыка", "нб", WEDNESDAY)  # no Music on Wednesdays
    user = await parent(app)
    await user.send("/today")
    text = user.last_message().text
    maths = text.split("5. 12:30–13:15 · Математика")[1]
    assert "🚫 Посещаемость: н" in maths and "✅" not in maths
    assert "🚫 Посещаемость: Музыка нб" in text and "Другие оценки" not in text


async def test_e_diary_text_is_escaped(app: App, provider) -> None:
    await commands.add_homework(provider, "5А", "Математика", WEDNESDAY, "Сравнить: 3 < 5 & <b>7</b>")
    user = await parent(app)
    await user.send("/today")
    assert "Сравнить: 3 < 5 & <b>7</b>" in user.last_message().text
