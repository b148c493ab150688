"""/attendance: a child's absences and lateness by subject with totals, this period first, other periods and (for a
parent of two) the other child one tap away in the same message; a plain answer where the e-diary gives none.

The demo school on Wednesday 25 November 2026 (quarter 2 began on 5 November): p01 is the parent of Артём (s01,
5А) and Софья (s17, 9В).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.attendance.summary import summarize
from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from bot.ediary.demo.attendance import mark_absent
from bot.ediary.model import AbsenceReason, AttendanceKind, AttendanceMark, Capabilities
from bot.ediary.provider import ProviderUnavailable
from storage import view_choices
from tests.conftest import App, running_app
from tests.messaging_story import buttons
from tests.timetable_fakes import WrappedProvider

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)
QUARTER_2 = (date(2026, 11, 5), date(2026, 11, 25))


async def subject_of(provider: DemoProvider, class_id: str, day: date, number: int) -> str:
    [lesson] = [x for x in await provider.lessons([class_id], day, day) if x.number == number]
    return lesson.subject


async def test_a_parent_of_two_chooses_a_child_and_sees_the_period_by_subject(app: App, provider: DemoProvider) -> None:
    maths_day = await subject_of(provider, "5a", MONDAY, 2)
    await mark_absent(provider, student_id="s01", day=MONDAY, number=2, reason=AbsenceReason.ILLNESS)
    await mark_absent(provider, student_id="s01", day=TUESDAY, number=1, minutes_late=7)
    first_lesson = await subject_of(provider, "5a", TUESDAY, 1)
    await app.link(501, "p01", "parent")
    parent = app.client(501)
    await parent.send("/attendance")
    choice = parent.last_message()
    assert choice.text == "📋 Чью посещаемость показать?"
    assert buttons(choice) == ["Артём Иванов, 5А", "Софья Иванова, 9В"]

    await parent.click(choice, "Артём Иванов, 5А")
    view = parent.last_message()
    assert view.message_id == choice.message_id  # edited in place
    lines = view.text.split("\n")
    assert lines[:2] == ["📋 Посещаемость: Артём Иванов, 5А", "2 четверть: 5 нояб. – сегодня"]
    [absent_line] = [line for line in lines if line.startswith(f"• {maths_day}:")]
    assert "23 нояб." in absent_line and "пропуск" in absent_line
    [late_line] = [line for line in lines if line.startswith(f"• {first_lesson}:")]
    assert "24 нояб. 7 мин" in late_line and "опоздани" in late_line
    marks = await provider.student_attendance("s01", *QUARTER_2)
    summary = summarize(marks)  # the counting is checked below against the marks themselves
    absences = sum(m.kind == AttendanceKind.ABSENT for m in marks)
    lates = sum(m.kind == AttendanceKind.LATE for m in marks)
    assert (summary.absences, summary.lates) == (absences, lates)
    totals = view.text.split("\nИтого\n")[-1]
    assert f" {absences} урок" in totals.split("\n")[0]
    assert f"по болезни: {summary.by_reason[AbsenceReason.ILLNESS]}" in totals
    assert "• 1 четверть" not in buttons(view) and "• 2 четверть •" in buttons(view)
    assert buttons(view)[-2:] == ["• Артём Иванов, 5А •", "Софья Иванова, 9В"]

    await parent.click(view, "1 четверть")
    first = parent.last_message()
    assert first.message_id == view.message_id
    assert first.text.split("\n")[1] == "1 четверть: 1 сент. – 26 окт."
    assert "23 нояб." not in first.text
    await parent.click(first, "Софья Иванова, 9В")
    sister = parent.last_message()
    assert sister.text.startswith("📋 Посещаемость: Софья Иванова, 9В\n1 четверть:")  # the same period
    assert await view_choices.chosen(app.db, 501, "attendance") == "s17"
    await parent.send("/attendance")  # the child chosen last opens at once, this period
    assert parent.last_message().text.startswith("📋 Посещаемость: Софья Иванова, 9В\n2 четверть:")


async def test_a_student_in_english_sees_their_own_with_the_whole_year(app: App, provider: DemoProvider) -> None:
    await mark_absent(provider, student_id="s01", day=MONDAY, number=1)
    await mark_absent(provider, student_id="s01", day=MONDAY, number=3, reason=AbsenceReason.UNEXCUSED)
    await app.link(502, "s01", "student", language="en")
    student = app.client(502, language_code="en")
    await student.send("/attendance")
    view = student.last_message()
    assert view.text.startswith("📋 Attendance: Артём Иванов, 5А\nQuarter 2: Nov 5 – today\n")
    assert "without a good reason: " in view.text and "reason not given: " in view.text
    assert buttons(view) == ["Quarter 1", "• Quarter 2 •", "Whole year"]  # no child switch, no quarter to come
    await student.click(view, "Whole year")
    year = student.last_message()
    assert year.text.split("\n")[1] == "Whole year: Sep 1 – today"
    marks = await provider.student_attendance("s01", date(2026, 9, 1), date(2026, 11, 25))
    n = sum(m.kind == AttendanceKind.ABSENT for m in marks)
    assert f"• {n} lessons missed" in year.text


async def test_nothing_missed_says_so(settings: Settings, clock: ManualClock, provider: DemoProvider) -> None:
    async with running_app(settings, clock, NoAbsences(provider)) as app:
        await app.link(503, "s02", "student")
        student = app.client(503)
        await student.send("/attendance")
        assert student.last_message().text.endswith("\n\nЗа этот период ни пропусков, ни опозданий.")


async def test_an_e_diary_without_attendance_and_a_stranger_are_told_plainly(
    settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    async with running_app(settings, clock, WithoutAttendance(provider)) as app:
        await app.link(504, "p01", "parent")
        parent = app.client(504)
        await parent.send("/attendance")
        assert parent.last_message().text == (
            "📋 Электронный дневник этой школы не передаёт посещаемость, "
            "поэтому пропуски и опоздания здесь не показать."
        )
        stranger = app.client(505)
        await stranger.send("/attendance")
        assert stranger.last_message().text.endswith("Привяжите свой по коду из школы: /link")
        await app.link(506, "t01", "teacher")
        teacher = app.client(506)
        await teacher.send("/attendance")
        assert "видят ученики и родители" in teacher.last_message().text


async def test_forged_and_outdated_buttons_change_nothing(app: App) -> None:
    await app.link(507, "s01", "student")
    student = app.client(507)
    await student.send("/attendance")
    view = student.last_message()
    for data in ("at:s17:-1", "at:s01:3", "at:s01:12", "at:s01:-3", "at:" + "x" * 60 + ":-1"):
        await student.click_forged(view, data)
    assert len(student.answers) == 5
    assert all("устарела" in (a["text"] or "") for a in student.answers[:3])  # a child not theirs, a later quarter
    assert await view_choices.chosen(app.db, 507, "attendance") is None


async def test_an_outage_offers_a_retry_in_place(
    settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    flaky = FlakyAttendance(provider)
    async with running_app(settings, clock, flaky) as app:
        await app.link(508, "s01", "student")
        student = app.client(508)
        await student.send("/attendance")
        failed = student.last_message()
        assert "Электронный дневник не отвечает" in failed.text
        flaky.down = False
        await student.click(failed, "🔄 Попробовать снова")
        assert student.last_message().message_id == failed.message_id
        assert student.last_message().text.startswith("📋 Посещаемость: Артём Иванов, 5А")


async def test_forget_erases_the_chosen_child(app: App) -> None:
    await app.link(509, "p01", "parent")
    parent = app.client(509)
    await parent.send("/attendance")
    await parent.click(parent.last_message(), "Артём Иванов, 5А")
    assert await view_choices.chosen(app.db, 509, "attendance") == "s01"
    await parent.send("/forget")
    await parent.click(parent.last_message(), "🗑 Стереть всё")
    assert await view_choices.chosen(app.db, 509, "attendance") is None


class WithoutAttendance(WrappedProvider):
    """Like Дневник.ру and МЭШ today: no AttendanceSource."""

    @property
    def capabilities(self) -> Capabilities:
        return replace(self.inner.capabilities, attendance=False)


class NoAbsences(WrappedProvider):
    async def student_attendance(self, student_id: str, start: date, end: date) -> list[AttendanceMark]:
        return []


class FlakyAttendance(WrappedProvider):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.down = True

    async def student_attendance(self, student_id: str, start: date, end: date) -> list[AttendanceMark]:
        if self.down:
            raise ProviderUnavailable("e-diary timeout")
        return await self.inner.student_attendance(student_id, start, end)
