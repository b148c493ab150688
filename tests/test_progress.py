"""/progress as families use it: one message in place (child, period, Back), charts as photos switched in place,
the class only as its average and the child's quarter, and no comparison where the school or the e-diary
gives none."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from bot.ediary.model import Grade
from tests.conftest import App
from tests.grades_fixtures import SwitchableDemo, buttons, press_forged
from tests.png import png_size

pytest_plugins = ["tests.progress_fixtures"]

Q2 = (date(2026, 11, 5), date(2026, 11, 25))
STALE_CHILD = "Эта кнопка устарела: ученик не привязан к вашему аккаунту. Откройте /progress заново."


def shown(value: Fraction) -> str:
    return str(Decimal(value.numerator / value.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)).replace(".", ",")


def counted(grades: list[Grade]) -> list[tuple[Fraction, Fraction]]:
    return [
        (Fraction(str(g.numeric)), Fraction(str(g.weight)))
        for g in grades
        if g.numeric is not None and not g.is_attendance
    ]


def fives_needed(grades: list[Grade], threshold: Fraction) -> int:
    """By hand: the fewest 5s of weight 1 with (S + 5n) / (W + n) >= threshold."""
    marks = counted(grades)
    total, weight = sum(v * w for v, w in marks), sum(w for _, w in marks)
    n = 1
    while (total + 5 * n) / (weight + n) < threshold:
        n += 1
    return n


async def subject_grades(demo: SwitchableDemo, student: str, subject: str) -> list[Grade]:
    return [g for g in await demo.student_grades(student, *Q2) if g.subject == subject]


async def open_progress(app: App, user_id: int, person: str, role: str, language: str = "ru"):
    await app.link(user_id, person, role, language=language)
    user = app.client(user_id, language_code=language)
    await user.send("/progress")
    return user, user.last_message()


async def test_a_student_sees_average_trend_mark_what_it_takes_and_the_class(school_app: App, school) -> None:
    _user, screen = await open_progress(school_app, 31, "s01", "student")
    maths = await subject_grades(school, "s01", "Математика")
    marks = counted(maths)
    avg = sum(v * w for v, w in marks) / sum(w for _, w in marks)
    assert avg < Fraction(9, 2)  # the demo's November: a 4, so "what it takes" is about a 5
    lines = screen.text.split("\n")
    assert lines[:2] == ["📈 Артём Иванов, 5А", "2 четверть, 5 нояб. – 28 дек."]
    head = next(line for line in lines if line.startswith("Математика: "))
    assert head.startswith(f"Математика: {shown(avg)} ") and head.endswith("· выходит 4")
    details = lines[lines.index(head) + 1].strip()
    n = fives_needed(maths, Fraction(9, 2))
    assert details.startswith(f"до «5»: ещё {n} пятёр")
    classmates = []  # each classmate's average, by hand; the class's is their mean
    for classmate in await school.class_students("5А"):
        theirs = counted(await subject_grades(school, classmate.id, "Математика"))
        if theirs:
            classmates.append(sum(v * w for v, w in theirs) / sum(w for _, w in theirs))
    assert len(classmates) >= 5
    place = details.split(f"· класс {shown(sum(classmates) / len(classmates))}, ")[1]
    halves = {"в верхней половине класса", "в нижней половине класса"}
    assert place in halves | {"в верхней четверти класса", "в нижней четверти класса"}
    assert "Оценка за период по правилу школы: от 4,50 — «5», от 3,50 — «4», от 2,50 — «3»." in screen.text
    assert "Пока без среднего балла: " in screen.text  # subjects without marks are named, not hidden
    assert buttons(screen) == ["📊 График", "1 четверть", "• 2 четверть", "Весь год"]  # no Back for one child


async def test_attendance_values_are_not_marks(school_app: App, school) -> None:
    from bot.ediary.demo import commands as demo_commands

    for day in (date(2026, 11, 10), date(2026, 11, 11)):
        await demo_commands.add_grade(school, "s01", "Литература", "н", day)
    _user, screen = await open_progress(school_app, 32, "s01", "student")
    assert "Литература:" not in screen.text  # two absences give no average and no "mark"
    assert "Литература" in screen.text.split("Пока без среднего балла: ")[1]


async def test_a_parent_of_two_switches_child_period_and_back_in_one_message(school_app: App) -> None:
    user, chooser = await open_progress(school_app, 33, "p01", "parent")
    assert chooser.text == "📈 Чью успеваемость показать?"
    assert buttons(chooser) == ["Артём Иванов, 5А", "Софья Иванова, 9В"]
    await user.click(chooser, "Софья Иванова, 9В")
    assert user.last_message().text.startswith("📈 Софья Иванова, 9В\n2 четверть")
    await user.click(chooser, "1 четверть")
    assert user.last_message().text.startswith("📈 Софья Иванова, 9В\n1 четверть, 1 сент. – 26 окт.")
    assert "• 1 четверть" in buttons(user.last_message())
    await user.click(chooser, "Весь год")
    assert "Весь год, 1 сент. – 26 мая" in user.last_message().text
    await user.click(chooser, "⬅️ Назад")
    assert user.last_message().text == "📈 Чью успеваемость показать?"
    assert len(user.messages) == 1  # all in place
    assert all(a["text"] is None for a in user.answers)


async def test_english(school_app: App) -> None:
    _user, screen = await open_progress(school_app, 34, "s17", "student", language="en")
    assert screen.text.startswith("📈 Софья Иванова, 9В\nQuarter 2, Nov 5 – Dec 28")
    assert "· leads to " in screen.text and "class " in screen.text
    assert "The period mark by the school's rule: from 4.50 a 5, from 3.50 a 4, from 2.50 a 3." in screen.text
    assert buttons(screen)[:2] == ["📊 Chart", "Quarter 1"]


async def test_a_forged_or_foreign_child_is_refused_and_nothing_changes(school_app: App) -> None:
    user, screen = await open_progress(school_app, 35, "s01", "student")
    before = screen.text
    for data in ("pl:s02:", "pl:s99:y", "pc:s17::", "pv:s02:y:"):  # a classmate, nobody, another family
        await press_forged(user, screen, data)
        assert user.last_answer() == STALE_CHILD and user.answers[-1]["show_alert"]
    assert user.last_message().text == before and len(user.messages) == 1
    sent = school_app.session.sent("sendPhoto")
    assert sent == []


async def test_a_period_gone_from_the_e_diary_falls_back_to_the_current_one(school_app: App) -> None:
    user, screen = await open_progress(school_app, 36, "s01", "student")
    await press_forged(user, screen, "pl:s01:deadbeef")
    assert user.last_answer() == "Этого периода больше нет в дневнике. Показываю текущий."
    assert "• 2 четверть" in buttons(user.last_message())


async def test_an_outage_is_told_with_a_retry(school_app: App, school) -> None:
    await school_app.link(37, "s01", "student")
    user = school_app.client(37)
    school.down = True
    await user.send("/progress")
    screen = user.last_message()
    assert screen.text == "Электронный дневник не отвечает. Попробуйте ещё раз через минуту."
    school.down = False
    await user.click(screen, "🔄 Попробовать снова")
    assert user.last_message().text.startswith("📈 Артём Иванов, 5А")


async def test_the_chart_is_a_photo_and_another_chart_replaces_it_in_place(school_app: App) -> None:
    user, screen = await open_progress(school_app, 38, "s01", "student")
    with_average = [line.split(":")[0] for line in screen.text.split("\n") if ": " in line and "выходит" in line]
    await user.click(screen, "📊 График")
    photo = user.last_message()
    assert photo.message_id != screen.message_id and photo.photo
    assert photo.caption.startswith("📊 Артём Иванов, 5А — все предметы\n2 четверть, 5 нояб. – 28 дек.")
    assert "средний балл класса (оценки других детей не показываются)" in photo.caption
    assert buttons(photo) == ["• 📊 Все предметы", *with_average]
    bars = school_app.session.core.files[photo.photo[-1].file_id]
    assert png_size(bars) == (800, round(100 * (2.0 + 0.42 * len(with_average))))

    await user.click(photo, "Математика")
    chart = user.last_message()
    assert chart.message_id == photo.message_id  # replaced in place
    assert chart.caption.startswith("📊 Артём Иванов, 5А — Математика")
    assert "• Математика" in buttons(chart)
    marks_png = school_app.session.core.files[chart.photo[-1].file_id]
    assert png_size(marks_png) == (800, 450) and marks_png != bars
    assert len(user.messages) == 2 and all(a["text"] is None for a in user.answers)
