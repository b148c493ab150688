"""/grades as a parent or a student uses it: pick a child, a subject, a period — all in one message."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from bot.ediary import provider as provider_module
from bot.ediary.demo import commands as demo_commands
from bot.ediary.model import Grade, Period
from bot.gradebook.periods import period_key, short_key
from storage import links as links_repo
from tests.conftest import App
from tests.grades_fixtures import SwitchableDemo, button_data, buttons, press_forged

pytest_plugins = ["tests.grades_fixtures"]  # the bot_app and demo fixtures

TODAY = date(2026, 11, 25)
Q2 = (date(2026, 11, 5), date(2026, 11, 25))
STALE_CHILD = "Эта кнопка устарела: ученик не привязан к вашему аккаунту. Откройте /grades заново."
UNAVAILABLE = "Электронный дневник не отвечает. Попробуйте ещё раз через минуту."


def expected_average(grades: list[Grade]) -> str:
    """Computed here from the e-diary's own data, the way a school journal does: weighted, numbers only."""
    counted = [(Decimal(str(g.numeric)), Decimal(str(g.weight))) for g in grades if g.numeric is not None]
    mean = sum(v * w for v, w in counted) / sum(w for _, w in counted)
    return str(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(".", ",")


async def subject_marks(
    demo: SwitchableDemo, student: str, subject: str, start: date = Q2[0], end: date = Q2[1]
) -> list[Grade]:
    return [g for g in await demo.student_grades(student, start, end) if g.subject == subject]


async def open_subjects(app: App, user_id: int, person: str, role: str):
    await app.link(user_id, person, role)
    user = app.client(user_id)
    await user.send("/grades")
    return user, user.last_message()


async def test_a_student_goes_straight_to_the_subjects_of_the_current_quarter(bot_app: App, demo) -> None:
    _user, screen = await open_subjects(bot_app, 21, "s01", "student")
    assert screen.text.startswith("📚 Артём Иванов, 5А\n2 четверть, 5 нояб. – 28 дек.")
    maths = await subject_marks(demo, "s01", "Математика")
    assert len(maths) == 4  # the demo school's November: "4 оценки", a real Russian plural
    assert f"Математика · {expected_average(maths)} · 4 оценки" in buttons(screen)
    assert "⬅️ Назад" not in buttons(screen)  # nothing above a student's own subjects
    assert {"1 четверть", "• 2 четверть", "Весь год"} <= set(buttons(screen))


async def test_the_menu_button_opens_grades_too(bot_app: App) -> None:
    await bot_app.link(22, "s01", "student")
    user = bot_app.client(22)
    await user.send("📚 Оценки")
    assert "2 четверть" in user.last_message().text


async def test_a_parent_picks_a_child_and_moves_around_in_one_message(bot_app: App) -> None:
    user, screen = await open_subjects(bot_app, 23, "p01", "parent")
    assert screen.text == "Чьи оценки показать?"
    assert buttons(screen) == ["Артём Иванов, 5А", "Софья Иванова, 9В"]
    await user.click(screen, "Софья Иванова, 9В")
    assert user.last_message().text.startswith("📚 Софья Иванова, 9В")
    await user.click(screen, "Физика")
    assert user.last_message().text.startswith("📘 Физика — Софья Иванова, 9В")
    await user.click(screen, "⬅️ Назад")
    assert user.last_message().text.startswith("📚 Софья Иванова, 9В")
    await user.click(screen, "⬅️ Назад")
    assert user.last_message().text == "Чьи оценки показать?"
    assert len(user.messages) == 1  # edited in place: no trail of messages
    assert len(user.answers) == 4 and all(a["text"] is None for a in user.answers)  # no spinner left


async def test_a_subject_lists_date_value_work_type_weight_comment_and_teacher(bot_app: App, demo) -> None:
    await demo_commands.add_grade(
        demo, "s01", "Математика", "5", TODAY, "Контрольная работа", comment="Отличная работа"
    )
    user, screen = await open_subjects(bot_app, 24, "s01", "student")
    await user.click(screen, "Математика")
    lines = user.last_message().text.split("\n")
    newest = lines.index("25 нояб. — 5 · Контрольная работа, вес 2 · Белова Е. В.")
    assert lines[newest + 1].strip() == "«Отличная работа»"
    older = [line for line in lines if line.startswith("18 нояб. —")]
    assert older == ["18 нояб. — 4 · Самостоятельная работа · Белова Е. В."]  # weight 1 is not mentioned
    assert "Лебедева С. Ю." in "\n".join(lines)  # a mark given by the substitute teacher names her


async def test_the_average_is_weighted_by_work_type(bot_app: App, demo) -> None:
    await demo_commands.add_grade(demo, "s01", "Математика", "2", TODAY, "Контрольная работа")
    maths = await subject_marks(demo, "s01", "Математика")
    assert {g.weight for g in maths} == {1.0, 2.0}
    user, screen = await open_subjects(bot_app, 25, "s01", "student")
    await user.click(screen, "Математика")
    assert f"5 оценок, средний балл {expected_average(maths)} (с учётом веса работ)" in user.last_message().text
    plain = sum(g.numeric for g in maths) / len(maths)
    assert expected_average(maths) != f"{plain:.2f}".replace(".", ",")  # the weight really changes it


async def test_an_absence_is_attendance_not_a_mark_and_non_numeric_marks_are_not_averaged(bot_app: App, demo) -> None:
    assert await subject_marks(demo, "s01", "Литература") == []  # the demo's November has none yet
    await demo_commands.add_grade(demo, "s01", "Литература", "н", date(2026, 11, 20))
    user, screen = await open_subjects(bot_app, 26, "s01", "student")
    assert not [b for b in buttons(screen) if b.startswith("Литература")]  # an absence is not «1 оценка»
    assert "Литература" in screen.text.split("Пока без оценок: ")[1]
    counted = [g for g in await demo.student_grades("s01", *Q2) if not g.is_attendance]
    assert screen.text.split("\n")[3].startswith(f"{len(counted)} оценок по ")  # the total leaves absences out

    await demo_commands.add_grade(demo, "s01", "Литература", "зч", date(2026, 11, 23))
    await demo_commands.add_grade(demo, "s01", "Литература", "5", date(2026, 11, 24))
    await demo_commands.add_grade(demo, "s01", "Литература", "3", TODAY, weight=2)
    await user.click(screen, "• 2 четверть")  # the same period, read again
    await user.click(screen, "Литература · 3,67 · 3 оценки")  # (5 + 3·2) / 3; «зч» is a mark, «н» is not
    text = user.last_message().text
    assert "3 оценки, средний балл 3,67" in text
    assert "23 нояб. — зч · Ответ на уроке" in text and "— н" not in text
    assert "🚫 Посещаемость (не оценки): 20 нояб. н" in text
    assert "Отметки не в баллах (например, «зч») в средний балл не входят." in text


async def test_a_child_with_no_marks(bot_app: App, demo) -> None:
    demo.without_marks.add("s01")
    user, screen = await open_subjects(bot_app, 27, "s01", "student")
    assert "За этот период оценок пока нет." in screen.text
    assert buttons(screen) == ["1 четверть", "• 2 четверть", "Весь год"]
    await user.click(screen, "Весь год")
    assert "Весь год, 1 сент. – 26 мая" in user.last_message().text
    assert "За этот период оценок пока нет." in user.last_message().text


async def test_a_long_list_of_marks_comes_in_pages_newest_first(bot_app: App, demo) -> None:
    days = [date(2026, 11, d) for d in (5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20)]
    for number, day in enumerate(days):
        await demo_commands.add_grade(demo, "s01", "Литература", str(2 + number % 4), day)
    user, screen = await open_subjects(bot_app, 28, "s01", "student")
    await user.click(screen, "Литература · ")
    first = user.last_message()
    assert "Страница 1 из 2" in first.text and "◀️ Новее" not in buttons(first)
    dates = [line.split(" —")[0] for line in first.text.split("\n") if " — " in line and "нояб." in line[:8]]
    assert dates[0] == "20 нояб." and len(dates) == 10
    await user.click(screen, "Раньше ▶️")
    second = user.last_message()
    assert "Страница 2 из 2" in second.text and "Раньше ▶️" not in buttons(second)
    assert "6 нояб. —" in second.text and "5 нояб. —" in second.text and "20 нояб. —" not in second.text
    await user.click(screen, "◀️ Новее")
    assert "Страница 1 из 2" in user.last_message().text
    assert len(user.messages) == 1


async def test_switching_periods_shows_their_marks_and_final_marks(bot_app: App, demo) -> None:
    user, screen = await open_subjects(bot_app, 29, "s01", "student")
    await user.click(screen, "1 четверть")
    first_quarter = user.last_message().text
    assert "1 четверть, 1 сент. – 26 окт." in first_quarter
    finals = {m.subject: m.value for m in await demo.final_marks("s01") if m.period_id == "2026-q1"}
    assert f"Итоговые оценки — 1 четверть:\nМатематика — {finals['Математика']}" in first_quarter
    await user.click(screen, "Математика")
    text = user.last_message().text
    assert f"Оценка за период: {finals['Математика']}" in text
    maths_q1 = await subject_marks(demo, "s01", "Математика", date(2026, 9, 1), date(2026, 10, 26))
    assert f"{len(maths_q1)} оценок, средний балл {expected_average(maths_q1)}" in text
    await user.click(screen, "Весь год")
    year = user.last_message().text
    maths_year = await subject_marks(demo, "s01", "Математика", date(2026, 9, 1), TODAY)
    assert "Весь год, 1 сент. – 26 мая" in year
    assert f"{len(maths_year)} оценок, средний балл {expected_average(maths_year)}" in year
    assert f"1 четверть: {finals['Математика']}" in year
    assert "• Весь год" in buttons(user.last_message())
    await user.click(screen, "⬅️ Назад")  # back to the list of the period being shown
    assert "Весь год, 1 сент. – 26 мая" in user.last_message().text


async def test_a_forged_button_for_another_familys_child_looks_like_an_unknown_one(bot_app: App) -> None:
    user, screen = await open_subjects(bot_app, 30, "p01", "parent")  # children s01 and s17
    q2, maths = period_key(Period("2026-q2", "", TODAY, TODAY)), short_key("Математика")
    for forged in ("gl:s09:", f"gs:s09:{q2}:{maths}:0", "gl:s99:", f"gs:nobody:{q2}:{maths}:0"):
        await press_forged(user, screen, forged)  # s09 is p03's son; s99 and "nobody" do not exist
        assert user.answers[-1] == {**user.answers[-1], "text": STALE_CHILD, "show_alert": True}
    assert user.last_message().text == "Чьи оценки показать?"  # nothing about anyone else's child

    teacher = bot_app.client(31)  # his class's teacher: still not family, so no grades view
    await bot_app.link(31, "t01", "teacher")
    await teacher.send("/grades")
    await press_forged(teacher, teacher.last_message(), "gl:s02:")
    assert teacher.last_answer() == STALE_CHILD


async def test_an_old_message_after_unlinking_answers_clearly(bot_app: App) -> None:
    user, screen = await open_subjects(bot_app, 32, "p01", "parent")
    await user.click(screen, "Артём Иванов, 5А")
    before = user.last_message().text
    await links_repo.remove_link(bot_app.db, 32, "p01")
    await user.click(screen, "Математика")
    assert user.last_answer() == STALE_CHILD
    assert user.last_message().text == before


async def test_a_period_the_e_diary_no_longer_has_falls_back_to_the_current_one(bot_app: App, demo) -> None:
    user, screen = await open_subjects(bot_app, 33, "s01", "student")
    demo.periods_override = [
        Period("2026-t1", "1 триместр", date(2026, 9, 1), date(2026, 11, 30)),
        Period("2026-t2", "2 триместр", date(2026, 12, 1), date(2027, 2, 28)),
        Period("2026-t3", "3 триместр", date(2027, 3, 1), date(2027, 5, 31)),
    ]
    await user.click(screen, "1 четверть")  # the school switched to trimesters since the list was shown
    assert user.last_answer() == "Этого периода больше нет в дневнике. Показываю текущий."
    assert user.last_message().text.startswith("📚 Артём Иванов, 5А\n1 триместр, 1 сент. – 30 нояб.")
    assert {"• 1 триместр", "Весь год"} <= set(buttons(user.last_message()))


async def test_an_unknown_subject_shows_the_list_again(bot_app: App) -> None:
    user, screen = await open_subjects(bot_app, 34, "s01", "student")
    q2 = button_data(screen, "Математика").split(":")[2]
    await press_forged(user, screen, f"gs:s01:{q2}:deadbeef:0")
    assert user.last_answer() == "Этого предмета больше нет в дневнике за этот период."
    assert user.last_message().text.startswith("📚 Артём Иванов, 5А\n2 четверть")


async def test_malformed_callback_data_gets_the_generic_out_of_date_answer(bot_app: App) -> None:
    user, screen = await open_subjects(bot_app, 35, "s01", "student")
    await press_forged(user, screen, "gs:s01:only-two")
    assert "устарела" in user.last_answer()


async def test_an_e_diary_outage_is_said_plainly_and_old_marks_are_not_left_as_if_fresh(bot_app: App, demo) -> None:
    user, screen = await open_subjects(bot_app, 36, "s01", "student")
    demo.down = True
    await user.click(screen, "Математика")
    shown = user.last_message()
    assert shown.text == UNAVAILABLE and buttons(shown) == ["🔄 Попробовать снова"]
    assert user.last_answer() == UNAVAILABLE
    demo.down = False
    await user.click(screen, "🔄 Попробовать снова")
    assert user.last_message().text.startswith("📘 Математика — Артём Иванов, 5А")
    demo.down = True
    await user.send("/grades")
    assert user.last_message().text == UNAVAILABLE
    demo.down = False
    await user.click(user.last_message(), "🔄 Попробовать снова")
    assert user.last_message().text.startswith("📚 Артём Иванов, 5А")


async def test_an_e_diary_that_does_not_answer_in_time(bot_app: App, demo, monkeypatch: pytest.MonkeyPatch) -> None:
    user, screen = await open_subjects(bot_app, 37, "s01", "student")
    monkeypatch.setattr(provider_module, "VIEW_READ_SECONDS", 0.05)  # only while the e-diary hangs
    demo.hanging = True
    await user.click(screen, "1 четверть")
    assert user.last_message().text == UNAVAILABLE
    await user.send("/grades")
    assert user.last_message().text == UNAVAILABLE
    monkeypatch.undo()
    demo.hanging = False
    await user.click(user.last_message(), "🔄 Попробовать снова")
    assert "2 четверть" in user.last_message().text


async def test_accounts_without_a_child_are_told_how_to_link(bot_app: App) -> None:
    stranger = bot_app.client(38)
    await stranger.send("/grades")
    assert "/link" in stranger.last_message().text and "привяжите аккаунт" in stranger.last_message().text
    await bot_app.link(39, "t01", "teacher")
    teacher = bot_app.client(39)
    await teacher.send("/grades")
    assert "привязан как учительский" in teacher.last_message().text and "/link" in teacher.last_message().text


async def test_english_speakers_get_english(bot_app: App, demo) -> None:
    await bot_app.link(40, "s01", "student", language="en")
    user = bot_app.client(40, language_code="en")
    await user.send("/grades")
    screen = user.last_message()
    maths = await subject_marks(demo, "s01", "Математика")
    assert screen.text.startswith("📚 Артём Иванов, 5А\nQuarter 2, Nov 5 – Dec 28")  # the e-diary says «2 четверть»
    assert f"Математика · {expected_average(maths).replace(',', '.')} · 4 marks" in buttons(screen)
    assert buttons(screen)[-3:] == ["Quarter 1", "• Quarter 2", "Whole year"]


async def test_period_names_are_read_in_the_users_language_and_unknown_ones_shown_as_given(bot_app: App, demo) -> None:
    demo.periods_override = [
        Period("t1", "I триместр", date(2026, 9, 1), date(2026, 11, 20)),
        Period("t2", "2-е полугодие", date(2026, 11, 21), date(2026, 12, 28)),
        Period("t3", "Зимняя сессия", date(2027, 1, 12), date(2027, 3, 22)),
    ]
    await bot_app.link(42, "s01", "student", language="en")
    user = bot_app.client(42, language_code="en")
    await user.send("/grades")
    screen = user.last_message()
    assert screen.text.startswith("📚 Артём Иванов, 5А\nHalf-year 2, Nov 21 – Dec 28")
    assert buttons(screen)[-3:] == ["Trimester 1", "• Half-year 2", "Whole year"]  # a period not begun is not listed
    bot_app.clock.set(datetime(2027, 1, 20, 10, 0))
    await user.send("/grades")
    assert user.last_message().text.startswith("📚 Артём Иванов, 5А\nЗимняя сессия, Jan 12 – Mar 22")
    await bot_app.link(43, "s01", "student")
    russian = bot_app.client(43)
    await russian.send("/grades")
    assert buttons(russian.last_message())[-4:] == ["1 триместр", "2 полугодие", "• Зимняя сессия", "Весь год"]


async def test_pressing_the_period_already_shown_asks_telegram_for_nothing(bot_app: App) -> None:
    user, screen = await open_subjects(bot_app, 41, "s01", "student")
    core = bot_app.session.core
    await user.click(screen, "• 2 четверть")
    await user.click(screen, "Математика")
    await user.click(user.last_message(), "• 2 четверть")
    assert core.refusals == []  # no edit Telegram would refuse as "not modified"
    assert len(core.calls("editMessageText")) == 1  # only the step into Математика changed the message
    assert len(user.answers) == 3 and all(a["text"] is None for a in user.answers)  # no spinner left
