"""Whose timetable: parents choose a child or all children, teachers see their own lessons (covers
included, with the class), accounts with several identities choose; buttons are re-checked every press."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ediary.demo import DemoProvider, commands
from storage import links, view_choices
from tests.conftest import App
from tests.harness import updates as u
from tests.timetable_fakes import FailingProvider, NoSubstitutionsProvider, app_with

WEDNESDAY = date(2026, 11, 25)
TWO_CHILDREN = "p01"  # Артём Иванов (5А, s01) and Софья Иванова (9В, s17)
STALE = "Эта кнопка устарела. Откройте расписание заново: /today"
DOWN = "⚠️ Электронный дневник сейчас не отвечает. Попробуйте ещё раз через несколько минут."


def buttons(message) -> list[str]:
    return [b.text for row in message.reply_markup.inline_keyboard for b in row]


@pytest.fixture
async def covered_lesson(provider: DemoProvider) -> None:
    """Белова (t01) covers 5А's first lesson, Русский язык, for Орлова (t03)."""
    await commands.change_lesson(provider, "5А", WEDNESDAY, 1, teacher="t01", reason="болезнь учителя")


async def test_a_parent_of_two_picks_a_child_and_switches_with_one_tap(app: App) -> None:
    await app.link(1, TWO_CHILDREN, "parent")
    user = app.client(1)
    await user.send("/today")
    chooser = user.last_message()
    assert chooser.text == "📅 Среда, 25 ноября\nЧьё расписание показать?"
    assert buttons(chooser) == ["👤 Артём Иванов, 5А", "👤 Софья Иванова, 9В", "👨‍👩‍👧 Все дети"]
    await user.click(chooser, "👤 Софья Иванова, 9В")
    text = user.last_message().text
    assert "👤 Софья Иванова, 9В" in text and "Артём" not in text
    assert "🔁 Замена: ведёт Никитина Т. И. (по расписанию — Васильева И. А.)" in text  # the demo's change
    assert buttons(user.last_message())[-3:] == ["👤 Артём", "• 👤 Софья", "👨‍👩‍👧 Все"]  # the others, one tap
    await user.click(chooser, "👨‍👩‍👧 Все")
    text = user.last_message().text
    assert text.index("👤 Артём Иванов, 5А") < text.index("👤 Софья Иванова, 9В")
    await user.click(chooser, "👤 Артём")
    assert "👤 Артём Иванов, 5А" in user.last_message().text and "Софья" not in user.last_message().text
    assert len(user.messages) == 1  # the chooser turned into the views, in place


async def test_the_choice_is_remembered_for_today_tomorrow_the_week_and_the_menu(app: App) -> None:
    await app.link(1, TWO_CHILDREN, "parent")
    user = app.client(1)
    await user.send("/today")
    await user.click(user.last_message(), "👤 Софья Иванова, 9В")
    await user.send("/tomorrow")  # no chooser again: Софья's day
    text = user.last_message().text
    assert text.startswith("📅 Четверг, 26 ноября · завтра") and "👤 Софья Иванова, 9В" in text
    assert "Артём" not in text
    await user.send("/week")
    week = user.last_message()
    assert "👤 Софья Иванова, 9В" in week.text and "Артём" not in week.text
    assert buttons(week)[-3:] == ["👤 Артём", "• 👤 Софья", "👨‍👩‍👧 Все"]
    await user.click(week, "👨‍👩‍👧 Все")  # changed with one tap, remembered too
    await user.send("📅 Расписание")
    view = user.last_message()
    assert view.text.startswith("📅 Среда, 25 ноября · сегодня")
    assert "👤 Артём Иванов, 5А" in view.text and "👤 Софья Иванова, 9В" in view.text
    edits = len(app.session.core.calls("editMessageText"))
    await user.click(view, "• 👨‍👩‍👧 Все")  # the one already shown: nothing to edit
    assert len(app.session.core.calls("editMessageText")) == edits and app.session.core.refusals == []
    assert user.last_answer() is None
    other = app.client(2)  # another account of the same parent chooses for itself
    await app.link(2, TWO_CHILDREN, "parent")
    await other.send("/today")
    assert other.last_message().text.endswith("Чьё расписание показать?")


async def test_a_choice_that_is_no_longer_the_accounts_is_forgotten(app: App) -> None:
    await app.link(9, "t01", "teacher")
    await app.link(9, TWO_CHILDREN, "parent")
    user = app.client(9)
    await user.send("/today")
    await user.click(user.last_message(), "👤 Софья Иванова, 9В")
    assert await view_choices.chosen(app.db, 9, "timetable") == "s:s17"
    await links.remove_link(app.db, 9, TWO_CHILDREN)
    await user.send("/today")  # only the teacher's own lessons are left
    assert user.last_message().text.startswith("📅 Среда, 25 ноября · сегодня\n\n👩‍🏫 Белова Е. В. — ваши уроки")
    assert await view_choices.chosen(app.db, 9, "timetable") is None
    await app.link(9, TWO_CHILDREN, "parent")  # linked again: a new choice, not the old one back
    await user.send("/today")
    assert user.last_message().text.endswith("Чьё расписание показать?")


async def test_forget_erases_the_remembered_choice(app: App) -> None:
    await app.link(3, TWO_CHILDREN, "parent")
    user = app.client(3)
    await user.send("/today")
    await user.click(user.last_message(), "👨‍👩‍👧 Все дети")
    assert await view_choices.chosen(app.db, 3, "timetable") == "a:"
    await user.send("/forget")
    await user.click(user.last_message(), "🗑 Стереть всё")
    assert await app.db.fetchval("SELECT COUNT(*) FROM view_choices WHERE user_id = 3") == 0


async def test_all_children_move_between_days_together(app: App) -> None:
    await app.link(1, TWO_CHILDREN, "parent")
    user = app.client(1)
    await user.send("/today")
    view = user.last_message()
    await user.click(view, "Все дети")
    await user.click(view, "Чт 26.11 ▶️")
    text = user.last_message().text
    assert text.startswith("📅 Четверг, 26 ноября")
    assert "Артём Иванов" in text and "Софья Иванова" in text


async def test_a_teacher_sees_own_lessons_with_the_class_including_a_covered_one(app: App, covered_lesson) -> None:
    await app.link(7, "t01", "teacher")
    teacher = app.client(7)
    await teacher.send("/today")
    text = teacher.last_message().text
    assert "👩‍🏫 Белова Е. В. — ваши уроки" in text
    assert (
        "1. 08:30–09:15 · 5А · Русский язык\n      каб. 210\n"
        "      🔁 Вы на замене, по расписанию — Орлова О. С., причина: болезнь учителя"
    ) in text
    assert "4. 11:35–12:20 · 7Б · Математика" in text
    assert "5. 12:30–13:15 · 5А · Математика" in text
    assert "Оценк" not in text  # a teacher's day lists lessons, not a student's marks


async def test_the_absent_teacher_sees_the_lesson_handed_over(app: App, covered_lesson) -> None:
    await app.link(8, "t03", "teacher")
    teacher = app.client(8)
    await teacher.send("/today")
    text = teacher.last_message().text
    assert "1. 08:30–09:15 · 5А · Русский язык\n      🔁 Передан на замену: ведёт Белова Е. В." in text
    assert "3. 10:30–11:15 · 7Б · Русский язык" in text


async def test_a_teacher_who_is_also_a_parent_chooses(app: App, covered_lesson) -> None:
    await app.link(9, "t01", "teacher")
    await app.link(9, "p05", "parent")
    user = app.client(9)
    await user.send("/today")
    chooser = user.last_message()
    assert buttons(chooser) == ["👤 Кирилл Сидоров, 5А", "👩‍🏫 Мои уроки (Белова Е. В.)"]
    await user.click(chooser, "Мои уроки")
    assert "Вы на замене" in user.last_message().text
    assert buttons(user.last_message())[-2:] == ["👤 Кирилл", "• 👩‍🏫 Мои уроки"]
    await user.click(chooser, "👤 Кирилл")
    assert "🔁 Замена: ведёт Белова Е. В." in user.last_message().text


async def press(user, message, data: str) -> None:
    """Press a button with this callback data on `message`, as a modified client could."""
    callback = u.callback_dict(user.user, u.as_dict(message), data)
    user.query_ids.append(callback["id"])
    await user._deliver({"update_id": user.core.next_update_id(), "callback_query": callback})


@pytest.mark.parametrize(
    "forged",
    [
        "td:s:s09:20261125",  # somebody else's child
        "td:t:t02:20261125",  # a teacher this account is not
        "td:a:s09:20261125",  # "all children" naming a child
        "td:x:s03:20261125",  # an unknown kind
        "td:s:s03:20261340",  # not a date
        "td:s:s03:20300101",  # far beyond any timetable
        "tw:s:s03:20261125",  # a week that does not start on Monday
        "tp:x:20261125",  # an unknown view
    ],
)
async def test_forged_or_stale_buttons_get_a_clear_answer_and_change_nothing(app: App, forged: str) -> None:
    await app.link(1, "p05", "parent")
    user = app.client(1)
    await user.send("/today")
    before = user.last_message()
    await press(user, before, forged)
    assert user.last_answer() == STALE
    assert user.last_message().text == before.text


async def test_all_children_is_refused_to_an_account_without_children(app: App) -> None:
    await app.link(7, "t01", "teacher")
    teacher = app.client(7)
    await teacher.send("/today")
    await press(teacher, teacher.last_message(), "td:a::20261125")
    assert teacher.last_answer() == STALE


async def test_a_button_stops_working_once_the_link_is_gone(app: App) -> None:
    await app.link(1, "p05", "parent")
    user = app.client(1)
    await user.send("/today")
    view = user.last_message()
    await links.remove_link(app.db, 1, "p05")
    await user.click(view, "Чт 26.11 ▶️")
    assert user.last_answer() == STALE
    assert user.last_message().text.startswith("📅 Среда")


async def test_a_provider_without_substitution_data_says_so_once(settings, clock, provider) -> None:
    async with app_with(settings, clock, NoSubstitutionsProvider(provider)) as app:
        await app.link(1, TWO_CHILDREN, "parent")
        user = app.client(1)
        await user.send("/today")
        await user.click(user.last_message(), "👨‍👩‍👧 Все дети")
        text = user.last_message().text
        note = "ℹ️ Этот электронный дневник не сообщает о заменах"
        assert text.count(note) == 1 and text.rstrip().splitlines()[-1].startswith(note)
        assert "Замена" not in text  # what it does not know, it does not invent
        await user.click(user.last_message(), "🗓 Неделя")
        assert user.last_message().text.count(note) == 1
    async with app_with(settings, clock, provider) as app:  # the demo knows substitutions: no note
        await app.link(1, TWO_CHILDREN, "parent")
        user = app.client(1)
        await user.send("/today")  # the same database: "all children" is remembered across the restart
        assert "👤 Софья Иванова, 9В" in user.last_message().text
        assert "не сообщает" not in user.last_message().text


async def test_an_e_diary_outage_gets_a_short_answer(settings, clock, provider) -> None:
    ediary = FailingProvider(provider)
    async with app_with(settings, clock, ediary) as app:
        await app.link(1, "p05", "parent")
        user = app.client(1)
        await user.send("/today")
        assert user.last_message().text == DOWN
        ediary.down = False
        await user.send("/today")  # failures are not cached: the next request asks again
        view = user.last_message()
        assert view.text.startswith("📅 Среда, 25 ноября")
        ediary.down = True
        await user.click(view, "Чт 26.11 ▶️")
        assert user.last_answer() == DOWN
        assert user.last_message().text == view.text  # the view stays as it was
