"""What handlers/marks.py calls: the account's children (bot.access) and their recent marks, read fresh from
the e-diary under one deadline: when it fails, the user is told so instead of being shown old marks."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.access import family_students, roles_of
from bot.context import AppContext
from bot.ediary.grading import current_period, split_attendance
from bot.ediary.model import Grade, Period, Student
from bot.ediary.names import full_names
from bot.ediary.provider import EdiaryProvider, NotSupported, ProviderError, read_deadline
from bot.marks import screens
from bot.marks.callbacks import MarksRetryCb
from bot.ui import Screen

log = logging.getLogger(__name__)

LOOKBACK_DAYS = 14  # how far back (within the current period) to look for the last marks


@dataclass(frozen=True, slots=True)
class ChildMarks:
    student: Student
    day: date | None  # today, or the last day with marks; None when there were none
    grades: tuple[Grade, ...]  # that day's marks
    searched_from: date
    substitutes: Mapping[str, str] = field(default_factory=dict)  # grade id -> full name of who gave it, if a cover
    attendance_today: tuple[Grade, ...] = ()  # absences and lateness recorded in the marks column today


async def todays_marks(ctx: AppContext, user_id: int) -> Screen:
    today = ctx.clock.today()
    try:
        async with read_deadline():
            students = await family_students(ctx.database, ctx.ediary, user_id)
            children = await recent_marks(ctx.ediary, students, today) if students else []
    except ProviderError as exc:  # read_deadline: a slow e-diary is as unavailable as a failing one
        log.warning("marks: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
        return screens.outage(MarksRetryCb().pack())
    if not students:
        return screens.no_access(await roles_of(ctx.database, user_id))
    return screens.marks(children, today)


async def recent_marks(provider: EdiaryProvider, students: list[Student], today: date) -> list[ChildMarks]:
    """Each child's marks of today, else of the last day with marks (within the current period, bounded); an
    absence or lateness in the marks column is not a mark: today's are kept apart."""
    start = lookback_start(await provider.periods(), today, LOOKBACK_DAYS)
    result = []
    for student in students:
        read = [g for g in await provider.student_grades(student.id, start, today) if g.date <= today]
        grades, attendance = split_attendance(read)
        day = max((g.date for g in grades), default=None)
        shown = tuple(g for g in grades if g.date == day)
        substitutes = await given_by_substitutes(provider, student, shown)
        todays = tuple(g for g in attendance if g.date == today)
        result.append(ChildMarks(student, day, shown, start, substitutes, todays))
    return result


async def given_by_substitutes(provider: EdiaryProvider, student: Student, grades: Sequence[Grade]) -> dict[str, str]:
    """The marks given by a teacher who does not teach that subject in the class (a cover), with the giver's
    full name. A subject whose own teachers the e-diary does not name gives no hint (nobody to compare with).
    Costs one class_teachers call and one get_person per cover teacher (none without marks)."""
    if not any(g.teacher_id for g in grades):
        return {}
    try:
        teachers = await provider.class_teachers(student.class_name)
    except NotSupported:  # a family's token may not read the class
        return {}
    teaching = [t for t in teachers if student.class_name in t.classes]
    regular = {subject: {t.id for t in teaching if subject in t.subjects} for subject in {g.subject for g in grades}}
    covers = [g for g in grades if g.teacher_id and regular[g.subject] and g.teacher_id not in regular[g.subject]]
    names = await full_names(provider, (g.teacher_id for g in covers))
    return {g.id: names[g.teacher_id] for g in covers if g.teacher_id in names}


def lookback_start(periods: Sequence[Period], today: date, max_days: int) -> date:
    """Where the search back for the last day with marks stops: the current period's start, but never more
    than `max_days` ago."""
    start = today - timedelta(days=max_days)
    period = current_period(periods, today)
    if period is not None and period.start <= today:
        start = max(start, period.start)
    return start
