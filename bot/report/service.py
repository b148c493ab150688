"""What handlers/report.py calls: who the account sees as family, the periods to choose from, and the report
itself (the e-diary read under one deadline, the PDF drawn in the render worker). Every student id from a
button is re-checked."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.access import can_see_student, family_students, roles_of
from bot.context import AppContext
from bot.ediary.model import Student
from bot.ediary.provider import ProviderError, read_deadline
from bot.gradebook.analysis import Rounding
from bot.gradebook.loader import StalePeriod
from bot.gradebook.periods import begun
from bot.gradebook.render import off_loop
from bot.report import screens
from bot.report.callbacks import ReportChildCb, ReportHomeCb, ReportMakeCb
from bot.report.content import gather
from bot.report.pdf import render_pdf
from bot.ui import Screen, Translator

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Document:
    pdf: bytes
    file_name: str
    caption: str


async def home(ctx: AppContext, t: Translator, user_id: int) -> Screen:
    """A student, or a parent of one child, goes straight to the periods; a parent of several picks."""
    try:
        async with read_deadline():
            students = await family_students(ctx.database, ctx.reader, user_id)
            if len(students) == 1:
                return await _periods(ctx, t, students[0], back=False)
    except ProviderError as exc:
        return _outage(t, exc, user_id, ReportHomeCb().pack())
    if not students:
        return screens.no_access(t, await roles_of(ctx.database, user_id))
    return screens.choose_child(t, students)


async def periods(ctx: AppContext, t: Translator, user_id: int, button: ReportChildCb) -> Screen | None:
    """The periods of a child's report; None when the button names a student this account does not see."""
    try:
        async with read_deadline():
            student = await _checked(ctx, user_id, button.student)
            if student is None:
                return None
            several = len(await family_students(ctx.database, ctx.reader, user_id)) > 1
            return await _periods(ctx, t, student, back=several)
    except ProviderError as exc:
        return _outage(t, exc, user_id, button.pack())


async def report(ctx: AppContext, t: Translator, user_id: int, button: ReportMakeCb) -> Document | str | None:
    """The report a button asks for; a notice instead when the e-diary is down or the period is gone; None when
    the button names a student this account does not see."""
    try:
        async with read_deadline():
            student = await _checked(ctx, user_id, button.student)
            if student is None:
                return None
            content = await gather(
                ctx.reader,
                student,
                button.period,
                ctx.clock.today(),
                Rounding(ctx.settings.grade_rounding),
                t,
                compare=ctx.settings.class_comparison,
            )
    except StalePeriod:
        return screens.stale_period_text(t)
    except ProviderError as exc:
        log.warning("report: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
        return screens.unavailable_text(t)
    pdf = await off_loop(render_pdf, content)
    log.info("report: %d bytes for user %s", len(pdf), user_id)
    return Document(pdf, content.file_name, screens.caption(t, student, content.heading[2]))


async def _periods(ctx: AppContext, t: Translator, student: Student, *, back: bool) -> Screen:
    periods = begun(await ctx.reader.periods(), ctx.clock.today())
    return screens.choose_period(t, student, periods, back=back)


async def _checked(ctx: AppContext, user_id: int, student_id: str) -> Student | None:
    return await can_see_student(ctx.database, ctx.reader, user_id, student_id, teachers_too=False)


def _outage(t: Translator, exc: ProviderError, user_id: int, retry_data: str) -> Screen:
    log.warning("report: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
    return screens.outage(t, retry_data)
