"""What handlers/grades.py calls: who the account sees as family, the e-diary reads under one deadline, and
which screen follows. Every student id from a button is re-checked; a period or subject the e-diary no
longer has falls back to the list, with a notice saying why."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.access import can_see_student, family_students, roles_of
from bot.context import AppContext
from bot.ediary.model import Student
from bot.ediary.provider import ProviderError, read_deadline
from bot.gradebook.periods import CURRENT
from bot.grades import screens
from bot.grades.callbacks import GradesHomeCb, GradesListCb, GradesSubjectCb
from bot.grades.loader import StaleButton, load_subject, load_subjects
from bot.ui import Screen

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reply:
    """The screen a pressed button leads to, and what its answer says (an alert unless `alert` is False)."""

    screen: Screen
    notice: str | None = None
    alert: bool = True


async def home(ctx: AppContext, user_id: int) -> Screen:
    """A student, or a parent of one child, goes straight to the subjects; a parent of several picks."""
    try:
        async with read_deadline():
            students = await family_students(ctx.database, ctx.ediary, user_id)
            if len(students) == 1:
                view = await load_subjects(ctx.ediary, students[0], CURRENT, ctx.clock.today())
                return screens.subjects(view, back_to_children=False)
    except ProviderError as exc:
        return _outage(exc, user_id, GradesHomeCb().pack())
    if not students:
        return screens.no_access(await roles_of(ctx.database, user_id))
    return screens.choose_child(students)


async def subjects(ctx: AppContext, user_id: int, button: GradesListCb) -> Reply | None:
    """A child's subjects in a period; None when the button names a student this account does not see."""

    async def build(student: Student) -> Screen:
        return await _subjects(ctx, user_id, student, button.period)

    return await _student_view(ctx, user_id, button, build)


async def subject(ctx: AppContext, user_id: int, button: GradesSubjectCb) -> Reply | None:
    """One subject's marks, a page of them; None when the button names a student this account does not see."""

    async def build(student: Student) -> Screen:
        today = ctx.clock.today()
        view = await load_subject(ctx.ediary, student, button.period, button.subject, button.page, today)
        return screens.subject(view, button.subject)

    return await _student_view(ctx, user_id, button, build)


async def _subjects(ctx: AppContext, user_id: int, student: Student, period: str) -> Screen:
    view = await load_subjects(ctx.ediary, student, period, ctx.clock.today())
    several = len(await family_students(ctx.database, ctx.ediary, user_id)) > 1
    return screens.subjects(view, back_to_children=several)


async def _student_view(
    ctx: AppContext,
    user_id: int,
    button: GradesListCb | GradesSubjectCb,
    build: Callable[[Student], Awaitable[Screen]],
) -> Reply | None:
    """Re-check that the caller may see the student, then what `build` makes (or the list it falls back to)."""
    try:
        async with read_deadline():
            student = await can_see_student(ctx.database, ctx.ediary, user_id, button.student, teachers_too=False)
            if student is None:  # unknown, unlinked since, or another family's: all look the same
                return None
            try:
                return Reply(await build(student))
            except StaleButton as stale:
                log.info("grades: stale %s button from user %s", stale.what, user_id)
                notice = screens.stale_period_text() if stale.what == "period" else screens.stale_subject_text()
                fallback = CURRENT if stale.what == "period" else button.period
                return Reply(await _subjects(ctx, user_id, student, fallback), notice)
    except ProviderError as exc:
        return Reply(_outage(exc, user_id, button.pack()), screens.unavailable_text(), alert=False)


def _outage(exc: ProviderError, user_id: int, retry_data: str) -> Screen:
    log.warning("grades: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
    return screens.outage(retry_data)
