"""What handlers/marks.py calls: the account's children (bot.access) and their recent marks, read fresh from
the e-diary under one deadline: when it fails, the user is told so instead of being shown old marks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.access import family_students, roles_of
from bot.context import AppContext
from bot.ediary.grading import current_period
from bot.ediary.model import Grade, Period, Student
from bot.ediary.provider import EdiaryProvider, ProviderError, read_deadline
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
    """Each child's marks of today, else of the last day with marks (within the current period, bounded)."""
    start = lookback_start(await provider.periods(), today, LOOKBACK_DAYS)
    result = []
    for student in students:
        grades = [g for g in await provider.student_grades(student.id, start, today) if g.date <= today]
        day = max((g.date for g in grades), default=None)
        result.append(ChildMarks(student, day, tuple(g for g in grades if g.date == day), start))
    return result


def lookback_start(periods: Sequence[Period], today: date, max_days: int) -> date:
    """Where the search back for the last day with marks stops: the current period's start, but never more
    than `max_days` ago."""
    start = today - timedelta(days=max_days)
    period = current_period(periods, today)
    if period is not None and period.start <= today:
        start = max(start, period.start)
    return start
