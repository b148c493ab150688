"""/marks: "what did my child get today?" — each linked child's marks of today, or of the last day."""

from datetime import date, datetime

import pytest

from bot.ediary import provider as provider_module
from bot.ediary.demo import commands as demo_commands
from tests.conftest import App
from tests.grades_fixtures import SwitchableDemo, buttons

pytest_plugins = ["tests.grades_fixtures"]  # the bot_app and demo fixtures

TODAY = date(2026, 11, 25)
UNAVAILABLE = "Электронный дневник не отвечает. Попробуйте ещё раз через минуту."


def mark_lines(grades) -> list[str]:
    """What /marks lists for these grades: the marks, not the attendance."""
    marks = [g for g in grades if not g.is_attendance]
    return [f"• {g.subject}: {g.value} — {g.work_type}" + (", вес 2" if g.weight == 2 else "") for g in marks]


async def test_a_parent_sees_todays_marks_of_each_child_grouped_by_child(bot_app: App, demo: SwitchableDemo) -> None:
    await demo_commands.add_grade(demo, "s01", "Математика", "5", TODAY, "Контрольная работа", comment="Молодец!")
    await bot_app.link(51, "p01", "parent")
    user = bot_app.client(51)
    await user.send("/marks")
    blocks = user.last_message().text.split("\n\n")
    assert [block.split("\n")[:2] for block in blocks] == [
        ["Артём Иванов, 5А", "Сегодня, среда, 25 ноября:"],
        ["Софья Иванова, 9В", "Сегодня, среда, 25 ноября:"],
    ]
    for block, student in zip(blocks, ("s01", "s17"), strict=True):
        todays = await demo.student_grades(student, TODAY, TODAY)
        assert todays, "the demo school gives both children marks on this Wednesday"
        shown = [line for line in block.split("\n") if line.startswith("• ")]
        assert shown == mark_lines(todays)
    assert "• Математика: 5 — Контрольная работа, вес 2\n   Молодец!" in blocks[0]


async def test_a_mark_given_by_a_cover_teacher_says_who_gave_it(bot_app: App, demo: SwitchableDemo) -> None:
    # Никитина (Geography, Biology) covers 9В's Литература today (the demo's own change) and gives a mark there
    lesson = next(
        lesson for lesson in (await demo.class_schedule("9В", TODAY, TODAY)).lessons if lesson.subject == "Литература"
    )
    assert (lesson.teacher_id, lesson.original_teacher_id) == ("t07", "t04")
    given = await demo_commands.add_grade(demo, "s17", "Литература", "5", TODAY, "Сочинение")
    async with demo.write() as conn:  # the e-diary records the cover teacher as the one who gave it
        await conn.execute("UPDATE grades SET teacher_id = 't07' WHERE id = ?", (given.id,))
    await bot_app.link(61, "s17", "student")
    user = bot_app.client(61)
    await user.send("/marks")
    text = user.last_message().text
    assert "• Литература: 5 — Сочинение, вес 2 · 🔁 Никитина Т. И., на замене" in text
    assert "• Физика: 4 — Самостоятельная работа\n" in text + "\n"  # the subject's own teacher: no name


async def test_an_absence_is_not_a_new_mark(bot_app: App, demo: SwitchableDemo) -> None:
    bot_app.clock.set(datetime(2026, 11, 28, 12, 0))  # a Saturday: Friday's marks are the last ones
    await demo_commands.add_grade(demo, "s01", "Литература", "н", date(2026, 11, 28))
    await demo_commands.add_grade(demo, "s01", "Математика", "н", date(2026, 11, 27))
    await bot_app.link(62, "s01", "student")
    user = bot_app.client(62)
    await user.send("/marks")
    lines = user.last_message().text.split("\n")
    friday = await demo.student_grades("s01", date(2026, 11, 27), date(2026, 11, 27))
    assert lines[:2] == ["Артём Иванов, 5А", "Сегодня оценок нет. Последние — пятница, 27 ноября:"]
    assert lines[2:-1] == mark_lines(friday) and "• Математика: н" not in lines
    assert lines[-1] == "🚫 Посещаемость сегодня (не оценки): Литература н"


async def test_the_menu_button_shows_todays_marks(bot_app: App) -> None:
    await bot_app.link(52, "s17", "student")
    user = bot_app.client(52)
    await user.send("📊 Оценки за сегодня")
    assert user.last_message().text.startswith("Софья Иванова, 9В\nСегодня, среда, 25 ноября:")


async def test_on_a_day_without_marks_the_last_school_days_are_shown_and_named(bot_app: App, demo) -> None:
    bot_app.clock.set(datetime(2026, 11, 28, 12, 0))  # a Saturday
    await bot_app.link(53, "s01", "student")
    user = bot_app.client(53)
    await user.send("/marks")
    friday = await demo.student_grades("s01", date(2026, 11, 27), date(2026, 11, 27))
    assert friday, "the demo school gives Артём marks on Friday"
    lines = user.last_message().text.split("\n")
    assert lines[:2] == ["Артём Иванов, 5А", "Сегодня оценок нет. Последние — пятница, 27 ноября:"]
    assert lines[2:] == mark_lines(friday)


async def test_a_child_with_no_recent_marks(bot_app: App, demo) -> None:
    demo.without_marks.add("s17")
    await bot_app.link(54, "p01", "parent")
    user = bot_app.client(54)
    await user.send("/marks")
    text = user.last_message().text
    assert "Софья Иванова, 9В\nС 11 ноября оценок нет." in text  # two weeks back, within the quarter
    assert "Артём Иванов, 5А\nСегодня, среда, 25 ноября:" in text


async def test_the_search_back_does_not_leave_the_current_quarter(bot_app: App, demo) -> None:
    bot_app.clock.set(datetime(2026, 11, 5, 7, 0))  # the quarter's first morning
    demo.without_marks.add("s01")
    await bot_app.link(55, "s01", "student")
    user = bot_app.client(55)
    await user.send("/marks")
    assert user.last_message().text == "Артём Иванов, 5А\nС 5 ноября оценок нет."


async def test_accounts_without_a_child_are_told_how_to_link(bot_app: App) -> None:
    stranger = bot_app.client(56)
    await stranger.send("/marks")
    assert stranger.last_message().text.startswith("Оценки видны ученикам и родителям")
    assert "/link" in stranger.last_message().text
    await bot_app.link(57, "t03", "teacher")
    teacher = bot_app.client(57)
    await teacher.send("/marks")
    assert "привязан как учительский" in teacher.last_message().text


async def test_an_outage_gives_a_short_answer_and_a_retry(bot_app: App, demo) -> None:
    await bot_app.link(58, "s01", "student")
    user = bot_app.client(58)
    demo.down = True
    await user.send("/marks")
    answer = user.last_message()
    assert answer.text == UNAVAILABLE and buttons(answer) == ["🔄 Попробовать снова"]
    demo.down = False
    await user.click(answer, "🔄 Попробовать снова")
    assert user.last_message().text.startswith("Артём Иванов, 5А\nСегодня")
    assert len(user.messages) == 1


async def test_an_e_diary_that_hangs_times_out(bot_app: App, demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provider_module, "VIEW_READ_SECONDS", 0.05)
    await bot_app.link(59, "p01", "parent")
    user = bot_app.client(59)
    demo.hanging = True
    await user.send("/marks")
    assert user.last_message().text == UNAVAILABLE


async def test_in_english(bot_app: App) -> None:
    await bot_app.link(60, "s01", "student", language="en")
    user = bot_app.client(60, language_code="en")
    await user.send("/marks")
    assert user.last_message().text.startswith("Артём Иванов, 5А\nToday, Wednesday, November 25:")
