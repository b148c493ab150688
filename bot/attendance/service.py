"""What handlers/attendance.py calls: whose attendance this account may see (bot.access), re-checked on every
press; the child a parent of several chose last, remembered as the timetable remembers its choice
(storage/view_choices.py); the period; and the marks, read from the e-diary's AttendanceSource through the app's
short cache (outdated by the poller's read of the class, so the view never contradicts an alert), all under one
deadline: when the e-diary fails, the user is offered a retry instead of old data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from enum import Enum

from bot.access import chosen_student, family_students
from bot.attendance import screens
from bot.attendance.callbacks import CURRENT, WHOLE_YEAR, AttendanceCb
from bot.attendance.summary import AttendanceSummary, summarize
from bot.context import AppContext
from bot.ediary.grading import current_period
from bot.ediary.model import Period, Student
from bot.ediary.provider import AttendanceSource, ProviderError, attendance_source, read_deadline
from bot.ui import Screen
from storage import view_choices

log = logging.getLogger(__name__)

VIEW = "attendance"  # this screen's name in view_choices


class Refusal(Enum):
    NOT_FAMILY = "not_family"  # not linked as a student or a parent (or the e-diary lists no child)
    NOT_SUPPORTED = "not_supported"  # this e-diary gives no attendance


@dataclass(frozen=True, slots=True)
class Selection:
    """The dates a view covers: one of the e-diary's periods (by its index) or the school year so far."""

    index: int  # into the e-diary's periods, or WHOLE_YEAR
    period: Period | None  # None: the whole year
    start: date
    end: date  # today at the latest


@dataclass(frozen=True, slots=True)
class AttendanceView:
    student: Student
    children: tuple[Student, ...]  # the account's children when it has several (the switch), else ()
    periods: tuple[tuple[int, Period], ...]  # the periods begun so far, by index
    selection: Selection
    summary: AttendanceSummary


@dataclass(frozen=True, slots=True)
class ChildChoice:
    children: tuple[Student, ...]


async def open_attendance(ctx: AppContext, user_id: int) -> Screen:
    """/attendance: the child chosen last (or the only one), this period."""
    screen = await _screen(ctx, user_id, "", CURRENT)
    if screen is None:  # only a button can name a child or a period that is not there
        raise RuntimeError("the opening screen cannot be stale")
    return screen


async def attendance_pressed(ctx: AppContext, user_id: int, student_id: str, period: int) -> Screen | None:
    """A button; None when it names a child this account may not see or a period the e-diary no longer has."""
    return await _screen(ctx, user_id, student_id, period)


async def student_attendance(
    ctx: AppContext, source: AttendanceSource, student: Student, start: date, end: date
) -> AttendanceSummary:
    """A student's attendance over [start, end], counted; through the app's short cache."""
    if start > end:
        return summarize(())
    marks = await ctx.provider_cache.get(
        ("attendance", student.id, start, end),
        lambda: source.student_attendance(student.id, start, end),
        about=student.class_name,
    )
    return summarize(marks)


async def forget_choices(ctx: AppContext, user_id: int) -> None:
    """/forget: the remembered child goes with the account."""
    await view_choices.forget(ctx.database, user_id, VIEW)


async def _screen(ctx: AppContext, user_id: int, student_id: str, period: int) -> Screen | None:
    try:
        async with read_deadline():
            found = await _view(ctx, user_id, student_id, period)
    except ProviderError as exc:
        log.warning("attendance: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
        return screens.outage(AttendanceCb(student=student_id, period=period).pack())
    if found is None or isinstance(found, AttendanceView):
        return None if found is None else screens.attendance_screen(found, ctx.clock.today())
    if isinstance(found, ChildChoice):
        return screens.choice_screen(found.children)
    return screens.refusal_screen(found == Refusal.NOT_SUPPORTED)


async def _view(
    ctx: AppContext, user_id: int, student_id: str, period: int
) -> AttendanceView | ChildChoice | Refusal | None:
    children = tuple(await family_students(ctx.database, ctx.reader, user_id))
    if not children:
        return Refusal.NOT_FAMILY
    source = attendance_source(ctx.ediary)
    if source is None:
        return Refusal.NOT_SUPPORTED
    student = await chosen_student(ctx.database, user_id, VIEW, children, student_id)
    if student is None:
        return None if student_id else ChildChoice(children)
    today = ctx.clock.today()
    periods = await ctx.reader.periods()
    selection = select(periods, period, today)
    if selection is None:
        return None
    summary = await student_attendance(ctx, source, student, selection.start, selection.end)
    begun = tuple((i, p) for i, p in enumerate(periods) if p.start <= today)
    return AttendanceView(student, children if len(children) > 1 else (), begun, selection, summary)


def select(periods: list[Period], index: int, today: date) -> Selection | None:
    """The dates a button names: the current period (in the holidays the one just ended), one that has begun,
    or the school year so far; None for a period that is not (or not yet) there."""
    if index == CURRENT:
        period = current_period(periods, today)
        return _whole_year(periods, today) if period is None else _of(periods.index(period), period, today)
    if index == WHOLE_YEAR:
        return _whole_year(periods, today)
    if 0 <= index < len(periods) and periods[index].start <= today:
        return _of(index, periods[index], today)
    return None


def _of(index: int, period: Period, today: date) -> Selection:
    return Selection(index, period, period.start, min(period.end, today))


def _whole_year(periods: list[Period], today: date) -> Selection:
    september = date(today.year if today.month >= 9 else today.year - 1, 9, 1)  # an e-diary without periods
    start = min(p.start for p in periods) if periods else september
    return Selection(WHOLE_YEAR, None, start, today)
