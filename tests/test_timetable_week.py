"""/week: the school week Monday–Friday (Saturday when it has lessons), compact, changes marked,
moving between weeks and into a day in place."""

from __future__ import annotations

from datetime import date, datetime

from bot.ediary.demo import commands
from tests.conftest import App
from tests.timetable_fakes import SaturdayProvider, app_with


def buttons(message) -> list[str]:
    return [b.text for row in message.reply_markup.inline_keyboard for b in row]


def struck(message) -> list[str]:
    raw = message.text.encode("utf-16-le")
    return [
        raw[2 * e.offset : 2 * (e.offset + e.length)].decode("utf-16-le")
        for e in message.entities or []
        if e.type == "strikethrough"
    ]


async def test_the_week_is_monday_to_friday_with_changes_marked(app: App, provider) -> None:
    await commands.change_lesson(provider, "5А", date(2026, 11, 25), 1, teacher="t01", reason="болезнь учителя")
    await app.link(1, "p05", "parent")
    user = app.client(1)
    await user.send("/week")
    message = user.last_message()
    text = message.text
    assert text.startswith("🗓 Неделя 23–27 ноября · эта неделя\n👤 Кирилл Сидоров, 5А")
    days = [
        line
        for line in text.splitlines()
        if line.split(",")[0] in ("Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье")
    ]
    assert days == [
        "Понедельник, 23 ноября",
        "Вторник, 24 ноября",
        "Среда, 25 ноября · сегодня",
        "Четверг, 26 ноября",
        "Пятница, 27 ноября",
    ]
    assert "1. 08:30 Русский язык 🔁 Белова Е. В." in text  # substituted
    assert "2. 09:25 Математика 🚪 112" in text  # Thursday's room change
    assert "3. 10:30 Физическая культура ❌" in text  # Friday's cancellation
    assert "10:30 Физическая культура" in struck(message)
    assert "🔁 замена · 🚪 другой кабинет · ❌ отменён · ➕ дополнительный урок" in text
    assert buttons(message) == [
        "Пн 23.11",
        "Вт 24.11",
        "Ср 25.11",
        "Чт 26.11",
        "Пт 27.11",
        "◀️ Предыдущая",
        "📍 Эта неделя",
        "Следующая ▶️",
    ]


async def test_weeks_and_days_open_in_place(app: App) -> None:
    await app.link(1, "p05", "parent")
    user = app.client(1)
    await user.send("/week")
    view = user.last_message()
    await user.click(view, "Следующая ▶️")
    assert user.last_message().text.startswith("🗓 Неделя 30 ноября – 4 декабря · следующая неделя")
    await user.click(view, "◀️ Предыдущая")
    await user.click(view, "◀️ Предыдущая")
    assert user.last_message().text.startswith("🗓 Неделя 16–20 ноября\n")
    await user.click(view, "📍 Эта неделя")
    await user.click(view, "Чт 26.11")
    assert user.last_message().text.startswith("📅 Четверг, 26 ноября · завтра")
    await user.click(view, "🗓 Неделя")
    assert user.last_message().text.startswith("🗓 Неделя 23–27 ноября")
    assert len(user.messages) == 1


async def test_holidays_inside_a_week_are_named(app: App) -> None:
    app.clock.set(datetime(2026, 12, 28, 9, 0))  # the last school day before the winter holidays
    await app.link(1, "p05", "parent")
    user = app.client(1)
    await user.send("/week")
    text = user.last_message().text
    assert "Понедельник, 28 декабря · сегодня\n1. 08:30" in text
    assert "Вторник, 29 декабря — уроков нет" in text
    assert "Пятница, 1 января — уроков нет" in text
    assert text.startswith("🗓 Неделя 28 декабря – 1 января")


async def test_saturday_appears_when_it_has_lessons(settings, clock, provider) -> None:
    async with app_with(settings, clock, SaturdayProvider(provider)) as app:
        await app.link(1, "p05", "parent")
        user = app.client(1)
        await user.send("/week")
        message = user.last_message()
        assert message.text.startswith("🗓 Неделя 23–28 ноября")
        assert "Суббота, 28 ноября\n1. 09:00 Математика" in message.text
        assert "Сб 28.11" in buttons(message)
        await user.click(message, "Сб 28.11")
        assert "1. 09:00–09:45 · Математика" in user.last_message().text


async def test_on_sunday_the_week_means_the_coming_one(app: App) -> None:
    app.clock.set(datetime(2026, 11, 29, 18, 0))
    await app.link(1, "p05", "parent")
    user = app.client(1)
    await user.send("/week")
    assert user.last_message().text.startswith("🗓 Неделя 30 ноября – 4 декабря · следующая неделя")


async def test_a_teachers_week_names_the_classes_and_the_covers(app: App, provider) -> None:
    await commands.change_lesson(provider, "5А", date(2026, 11, 25), 1, teacher="t01", reason="болезнь учителя")
    await app.link(7, "t01", "teacher", language="en")
    teacher = app.client(7, language_code="en")
    await teacher.send("/week")
    text = teacher.last_message().text
    assert text.startswith("🗓 Week of 23–27 November · this week\n👩‍🏫 Белова Е. В. — your lessons")
    assert "1. 08:30 5А Русский язык 🔁 for Орлова О. С." in text
    assert "5. 12:30 5А Математика" in text


async def test_a_family_week_shows_each_child_under_each_day(app: App) -> None:
    await app.link(1, "p01", "parent")
    user = app.client(1)
    await user.send("/week")
    chooser = user.last_message()
    assert chooser.text == "🗓 Неделя с 23 ноября\nЧьё расписание показать?"
    await user.click(chooser, "Все дети")
    text = user.last_message().text
    monday = text[text.index("Понедельник") : text.index("Вторник")]
    assert "👤 Артём Иванов, 5А" in monday and "👤 Софья Иванова, 9В" in monday
    assert buttons(user.last_message())[-3:] == ["👤 Артём", "👤 Софья", "• 👨‍👩‍👧 Все"]
