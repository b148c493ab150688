"""What handlers/progress.py calls: who the account sees as family, the e-diary reads under one deadline
(through the app's short cache), the analysis, and which screen or chart follows. Every student id from a
button is re-checked; a period the e-diary no longer has falls back to the current one, with a notice."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup

from bot.access import can_see_student, family_students, roles_of
from bot.context import AppContext
from bot.ediary.model import Student
from bot.ediary.provider import ProviderError, read_deadline
from bot.gradebook import chart_data
from bot.gradebook.analysis import Rounding
from bot.gradebook.chart import render
from bot.gradebook.loader import ProgressView, StalePeriod, load_progress
from bot.gradebook.periods import CURRENT
from bot.gradebook.render import off_loop
from bot.progress import screens
from bot.progress.callbacks import ProgressChartCb, ProgressChartViewCb, ProgressHomeCb, ProgressListCb
from bot.ui import Screen, Translator

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reply:
    """The screen a pressed button leads to, and what its answer says (an alert unless `alert` is False)."""

    screen: Screen
    notice: str | None = None
    alert: bool = True


@dataclass(frozen=True, slots=True)
class Chart:
    png: bytes
    caption: str
    markup: InlineKeyboardMarkup


def rounding(ctx: AppContext) -> Rounding:
    return Rounding(ctx.settings.grade_rounding)


async def load(ctx: AppContext, student: Student, period: str) -> ProgressView:
    """The view of a student whom the caller has checked; raises StalePeriod and ProviderError."""
    return await load_progress(
        ctx.reader, student, period, ctx.clock.today(), rounding(ctx), compare=ctx.settings.class_comparison
    )


async def home(ctx: AppContext, t: Translator, user_id: int) -> Screen:
    """A student, or a parent of one child, goes straight to the progress; a parent of several picks."""
    try:
        async with read_deadline():
            students = await family_students(ctx.database, ctx.reader, user_id)
            if len(students) == 1:
                return screens.progress(
                    t, await load(ctx, students[0], CURRENT), ctx.settings.grade_rounding, back=False
                )
    except ProviderError as exc:
        return _outage(t, exc, user_id, ProgressHomeCb().pack())
    if not students:
        return screens.no_access(t, await roles_of(ctx.database, user_id))
    return screens.choose_child(t, students)


async def progress(ctx: AppContext, t: Translator, user_id: int, button: ProgressListCb) -> Reply | None:
    """A child's progress in a period; None when the button names a student this account does not see."""
    try:
        async with read_deadline():
            student = await _checked(ctx, user_id, button.student)
            if student is None:
                return None
            several = len(await family_students(ctx.database, ctx.reader, user_id)) > 1
            try:
                view, notice = await load(ctx, student, button.period), None
            except StalePeriod:
                log.info("progress: stale period button from user %s", user_id)
                view, notice = await load(ctx, student, CURRENT), screens.stale_period_text(t)
            return Reply(screens.progress(t, view, ctx.settings.grade_rounding, back=several), notice)
    except ProviderError as exc:
        return Reply(_outage(t, exc, user_id, button.pack()), screens.unavailable_text(t), alert=False)


async def chart(
    ctx: AppContext, t: Translator, user_id: int, button: ProgressChartCb | ProgressChartViewCb
) -> Chart | str | None:
    """The chart a button asks for; a notice instead when there is nothing to draw or the e-diary is down;
    None when the button names a student this account does not see."""
    try:
        async with read_deadline():
            student = await _checked(ctx, user_id, button.student)
            if student is None:
                return None
            view = await load(ctx, student, button.period)
    except StalePeriod:
        return screens.stale_period_text(t)
    except ProviderError as exc:
        log.warning("progress: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
        return screens.unavailable_text(t)
    guides = tuple(float(v) for v in ctx.settings.grade_rounding)
    subject = view.subject(button.subject) if button.subject else None
    data = chart_data.marks(view, subject, t, guides) if subject is not None else chart_data.bars(view, t, guides)
    if data is None:
        return screens.nothing_to_chart_text(t)
    shown = button.subject if subject is not None else ""
    png = await off_loop(render, data)
    return Chart(png, screens.chart_caption(t, view, subject), screens.chart_keyboard(t, view, shown))


async def _checked(ctx: AppContext, user_id: int, student_id: str) -> Student | None:
    """The student when this account sees them as family (unknown, unlinked since and another family's look
    the same)."""
    return await can_see_student(ctx.database, ctx.reader, user_id, student_id, teachers_too=False)


def _outage(t: Translator, exc: ProviderError, user_id: int, retry_data: str) -> Screen:
    log.warning("progress: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
    return screens.outage(t, retry_data)
