"""/marks: each child's marks of today (or of the last day with marks). /grades: a child's subjects, a
subject's marks and the period — one message edited in place, every id in callback data re-checked."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import can_see_student, family_students
from bot.callback_factories import GradesHomeCb, GradesListCb, GradesSubjectCb, MarksRetryCb
from bot.clock import Clock
from bot.ediary.model import Role, Student
from bot.ediary.provider import EdiaryProvider, ProviderError
from bot.filters import MenuButton
from bot.grades import render
from bot.grades.keyboards import children_keyboard, retry_keyboard, subject_keyboard, subjects_keyboard
from bot.grades.loader import StaleButton, ediary_deadline, load_recent_marks, load_subject, load_subjects
from bot.grades.periods import CURRENT
from bot.ui.menu import MENU_GRADES, MENU_MARKS
from storage import links as links_repo
from storage.db import Database

log = logging.getLogger(__name__)

Screen = tuple[str, InlineKeyboardMarkup | None]


# --- /marks -----------------------------------------------------------------------------------
async def marks_command(message: Message, db: Database, provider: EdiaryProvider, clock: Clock) -> None:
    text, markup = await _marks_screen(db, provider, clock, message.from_user.id)
    await message.answer(text, reply_markup=markup)


async def marks_retry(callback: CallbackQuery, db: Database, provider: EdiaryProvider, clock: Clock) -> None:
    await _show(callback, *await _marks_screen(db, provider, clock, callback.from_user.id))


async def _marks_screen(db: Database, provider: EdiaryProvider, clock: Clock, user_id: int) -> Screen:
    try:
        async with ediary_deadline():
            students = await family_students(db, provider, user_id)
            children = await load_recent_marks(provider, students, clock.today()) if students else []
    except ProviderError as exc:
        return _unavailable(exc, user_id, MarksRetryCb().pack())
    if not students:
        return await _no_access_text(db, user_id), None
    return render.marks_text(children, clock.today()), None


# --- /grades ----------------------------------------------------------------------------------
async def grades_command(message: Message, db: Database, provider: EdiaryProvider, clock: Clock) -> None:
    text, markup = await _home_screen(db, provider, clock, message.from_user.id)
    await message.answer(text, reply_markup=markup)


async def grades_home(callback: CallbackQuery, db: Database, provider: EdiaryProvider, clock: Clock) -> None:
    await _show(callback, *await _home_screen(db, provider, clock, callback.from_user.id))


async def _home_screen(db: Database, provider: EdiaryProvider, clock: Clock, user_id: int) -> Screen:
    """A student, or a parent of one child, goes straight to the subjects; a parent of several picks."""
    try:
        async with ediary_deadline():
            students = await family_students(db, provider, user_id)
            if len(students) == 1:
                view = await load_subjects(provider, students[0], CURRENT, clock.today())
                return render.subjects_text(view), subjects_keyboard(view, back_to_children=False)
    except ProviderError as exc:
        return _unavailable(exc, user_id, GradesHomeCb().pack())
    if not students:
        return await _no_access_text(db, user_id), None
    return render.choose_child_text(), children_keyboard(students)


async def subjects_list(
    callback: CallbackQuery, callback_data: GradesListCb, db: Database, provider: EdiaryProvider, clock: Clock
) -> None:
    async def build(student: Student) -> Screen:
        return await _subjects_screen(db, provider, clock, callback.from_user.id, student, callback_data.period)

    await _student_view(callback, db, provider, clock, callback_data.student, callback_data.period, build)


async def subject_marks(
    callback: CallbackQuery, callback_data: GradesSubjectCb, db: Database, provider: EdiaryProvider, clock: Clock
) -> None:
    async def build(student: Student) -> Screen:
        view = await load_subject(
            provider, student, callback_data.period, callback_data.subject, callback_data.page, clock.today()
        )
        return render.subject_text(view), subject_keyboard(view, callback_data.subject)

    await _student_view(callback, db, provider, clock, callback_data.student, callback_data.period, build)


async def _subjects_screen(
    db: Database, provider: EdiaryProvider, clock: Clock, user_id: int, student: Student, period: str
) -> Screen:
    view = await load_subjects(provider, student, period, clock.today())
    several = len(await family_students(db, provider, user_id)) > 1
    return render.subjects_text(view), subjects_keyboard(view, back_to_children=several)


async def _student_view(
    callback: CallbackQuery,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    student_id: str,
    period: str,
    build: Callable[[Student], Awaitable[Screen]],
) -> None:
    """Re-check that the caller may see the student, then show what `build` makes. A button naming a
    period or subject the e-diary no longer has falls back to the list, with a note saying why."""
    user_id = callback.from_user.id
    notice = None
    try:
        async with ediary_deadline():
            student = await can_see_student(db, provider, user_id, student_id, teachers_too=False)
            if student is None:  # unknown, unlinked since, or another family's: all look the same
                await callback.answer(render.stale_child_text(), show_alert=True)
                return
            try:
                screen = await build(student)
            except StaleButton as stale:
                log.info("grades: stale %s button from user %s", stale.what, user_id)
                notice = render.stale_period_text() if stale.what == "period" else render.stale_subject_text()
                fallback = CURRENT if stale.what == "period" else period
                screen = await _subjects_screen(db, provider, clock, user_id, student, fallback)
    except ProviderError as exc:
        await _show(
            callback,
            *_unavailable(exc, user_id, callback.data or GradesHomeCb().pack()),
            notice=render.unavailable_text(),
            alert=False,
        )
        return
    await _show(callback, *screen, notice=notice)


# --- shared -----------------------------------------------------------------------------------
async def _show(
    callback: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    *,
    notice: str | None = None,
    alert: bool = True,
) -> None:
    """Edit the grades message in place; a message too old to edit gets a fresh one instead."""
    message = callback.message
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                pass  # the same screen again (e.g. Try again with the same answer)
            elif "can't be edited" in exc.message or "not found" in exc.message:
                await message.answer(text, reply_markup=markup)
            else:
                raise
    else:  # inaccessible: older than Telegram lets bots touch
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
    await callback.answer(notice, show_alert=alert and notice is not None)


def _unavailable(exc: ProviderError, user_id: int, retry_data: str) -> Screen:
    log.warning("grades: e-diary unavailable for user %s (%s)", user_id, type(exc).__name__)
    return render.unavailable_text(), retry_keyboard(retry_data)


async def _no_access_text(db: Database, user_id: int) -> str:
    roles = {link.role for link in await links_repo.links_of_user(db, user_id)}
    if roles & {Role.PARENT, Role.STUDENT}:
        return render.no_children_text()
    if Role.TEACHER in roles:
        return render.teacher_only_text()
    return render.not_linked_text()


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="grades")
    router.message.register(marks_command, Command("marks"))
    router.message.register(marks_command, MenuButton(MENU_MARKS))
    router.callback_query.register(marks_retry, MarksRetryCb.filter())
    router.message.register(grades_command, Command("grades"))
    router.message.register(grades_command, MenuButton(MENU_GRADES))
    router.callback_query.register(grades_home, GradesHomeCb.filter())
    router.callback_query.register(subjects_list, GradesListCb.filter())
    router.callback_query.register(subject_marks, GradesSubjectCb.filter())
    return router
