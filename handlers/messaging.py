"""/message: a parent picks a child (if several), one of the child's teachers, writes, checks and sends.

A student does the same for their own teachers. Answers, /inbox and mute live in handlers/inbox.py, whose
router is included first, so a Telegram reply to a relayed message wins over a draft being written.
"""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyParameters
from aiogram.utils.i18n import gettext as _

from bot.callback_factories import MsgChildCb, MsgDraftCb, MsgStartCb, MsgTeacherCb
from bot.clock import Clock
from bot.context import AppContext
from bot.ediary.model import Student, Teacher
from bot.ediary.provider import EdiaryProvider
from bot.filters import MenuButton
from bot.i18n import PoI18n
from bot.messaging import views
from bot.messaging.drafts import Draft, read_draft
from bot.messaging.people import (
    Sender,
    sender_for,
    student_teacher,
    student_teachers,
    unsaved_thread,
    writable_students,
)
from bot.messaging.relay import RateLimited, post
from bot.messaging.render import Translator
from bot.ui.menu import MENU_MESSAGE
from handlers import inbox
from handlers.inbox import Replying, is_free_input, show, tr_of
from storage import links as links_repo
from storage.db import Database


class Compose(StatesGroup):
    writing = State()
    preview = State()


async def own_student(db: Database, provider: EdiaryProvider, user_id: int, student_id: object) -> Student | None:
    for student in await writable_students(db, provider, user_id):
        if student.id == student_id:
            return student
    return None


async def resolve(
    db: Database, provider: EdiaryProvider, user_id: int, student_id: object, teacher_id: object
) -> tuple[Sender, Teacher, Student] | None:
    """Re-checked on every step: the account may write about this student, and the teacher teaches them."""
    student = await own_student(db, provider, user_id, student_id)
    if student is None or not isinstance(teacher_id, str):
        return None
    teacher = await student_teacher(provider, student, teacher_id)
    sender = await sender_for(db, provider, user_id, student)
    return None if teacher is None or sender is None else (sender, teacher, student)


async def start_screen(db: Database, provider: EdiaryProvider, user_id: int, tr: Translator) -> views.Screen:
    students = await writable_students(db, provider, user_id)
    if len(students) == 1:
        return views.teacher_picker(students[0], await student_teachers(provider, students[0]), tr, can_go_back=False)
    if students:
        return views.child_picker(students, tr)
    if await links_repo.links_of_user(db, user_id):  # a teacher: families write first, the teacher answers
        return _(
            "Parents and students write to you here: their messages come to this chat with a «Reply» "
            "button, and all conversations are in /inbox."
        ), None
    return _("To write to a teacher, first link your e-diary account: /link"), None


async def start_message(
    message: Message, state: FSMContext, db: Database, provider: EdiaryProvider, i18n: PoI18n
) -> None:
    await state.clear()
    text, markup = await start_screen(db, provider, message.from_user.id, tr_of(i18n))
    await message.answer(text, reply_markup=markup)


async def back_to_start(
    callback: CallbackQuery, state: FSMContext, db: Database, provider: EdiaryProvider, i18n: PoI18n
) -> None:
    await state.clear()
    await show(callback, *await start_screen(db, provider, callback.from_user.id, tr_of(i18n)))
    await callback.answer()


async def child_chosen(
    callback: CallbackQuery,
    callback_data: MsgChildCb,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    i18n: PoI18n,
) -> None:
    students = await writable_students(db, provider, callback.from_user.id)
    student = next((s for s in students if s.id == callback_data.student), None)
    if student is None:
        await callback.answer(_("This student is not available to you."), show_alert=True)
        return
    await state.clear()
    teachers = await student_teachers(provider, student)
    await show(callback, *views.teacher_picker(student, teachers, tr_of(i18n), can_go_back=len(students) > 1))
    await callback.answer()


async def teacher_chosen(
    callback: CallbackQuery,
    callback_data: MsgTeacherCb,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    i18n: PoI18n,
) -> None:
    resolved = await resolve(db, provider, callback.from_user.id, callback_data.student, callback_data.teacher)
    if resolved is None:
        await callback.answer(_("You cannot write to this teacher about this student."), show_alert=True)
        return
    sender, teacher, student = resolved
    await state.set_state(Compose.writing)
    await state.set_data({"student": student.id, "teacher": teacher.id})
    await show(
        callback, *views.writing_prompt(unsaved_thread(sender, teacher, student, clock.now()), tr_of(i18n), reply=False)
    )
    await callback.answer()


async def cancel_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled: nothing was sent."))


async def draft_written(
    message: Message, state: FSMContext, db: Database, provider: EdiaryProvider, clock: Clock, i18n: PoI18n
) -> None:
    tr, data = tr_of(i18n), await state.get_data()
    resolved = await resolve(db, provider, message.from_user.id, data.get("student"), data.get("teacher"))
    if resolved is None:
        await state.clear()
        await message.answer(_("This teacher is no longer available to you. Start again: /message"))
        return
    draft, problem, length = read_draft(message)
    if draft is None:
        await message.answer(views.problem_text(problem, length, tr))  # type: ignore[arg-type]
        return
    await _retire_preview(message, data.get("preview_id"))
    text, markup = views.preview(unsaved_thread(*resolved, clock.now()), draft, tr)
    if message.media_group_id:
        text += "\n\n" + _("Only one photo or file goes in a message: send the others one by one after this one.")
    shown = await message.answer(
        text,
        reply_markup=markup,
        reply_parameters=ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True),
    )
    await state.set_state(Compose.preview)
    await state.update_data(draft=draft.as_data(), preview_id=shown.message_id)


async def _retire_preview(message: Message, preview_id: object) -> None:
    """A new version replaces the draft: the old preview loses its buttons."""
    if isinstance(preview_id, int):
        with contextlib.suppress(TelegramBadRequest):
            await message.bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=preview_id)


async def send_draft(
    callback: CallbackQuery, state: FSMContext, ctx: AppContext, db: Database, provider: EdiaryProvider, i18n: PoI18n
) -> None:
    tr, data = tr_of(i18n), await state.get_data()
    draft = Draft.from_data(data.get("draft"))
    if await state.get_state() != Compose.preview.state or draft is None:
        await callback.answer(_("This draft is no longer here: it was sent or cancelled."), show_alert=True)
        return
    resolved = await resolve(db, provider, callback.from_user.id, data.get("student"), data.get("teacher"))
    if resolved is None:
        await state.clear()
        await callback.answer(_("This teacher is no longer available to you. Start again: /message"), show_alert=True)
        return
    now = ctx.clock.now()
    try:
        outcome = await post(
            ctx, unsaved_thread(*resolved, now), author_user_id=callback.from_user.id, from_teacher=False, draft=draft
        )
    except RateLimited as limited:
        await callback.answer()
        await callback.message.answer(
            views.rate_limit_text(limited.next_allowed_at, tr, ctx.settings.tz, now, draft_kept=True)
        )
        return
    await state.clear()
    await show(callback, views.outcome_text(outcome, tr, ctx.settings.tz, now, to_teacher=True), None)
    await callback.answer()


async def rewrite_draft(
    callback: CallbackQuery, state: FSMContext, db: Database, provider: EdiaryProvider, clock: Clock, i18n: PoI18n
) -> None:
    data = await state.get_data()
    resolved = await resolve(db, provider, callback.from_user.id, data.get("student"), data.get("teacher"))
    if await state.get_state() != Compose.preview.state or resolved is None:
        await callback.answer(_("This draft is no longer here: it was sent or cancelled."), show_alert=True)
        return
    await state.set_state(Compose.writing)
    await state.update_data(draft=None, preview_id=None)
    await show(callback, *views.writing_prompt(unsaved_thread(*resolved, clock.now()), tr_of(i18n), reply=False))
    await callback.answer()


async def cancel_draft(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await show(callback, _("Cancelled: nothing was sent."), None)
    await callback.answer()


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    compose = Router(name="messaging.compose")
    router = Router(name="messaging")
    compose.message.register(start_message, Command("message"))
    compose.message.register(start_message, MenuButton(MENU_MESSAGE))
    compose.callback_query.register(back_to_start, MsgStartCb.filter())
    compose.callback_query.register(child_chosen, MsgChildCb.filter())
    compose.callback_query.register(teacher_chosen, MsgTeacherCb.filter())
    compose.message.register(cancel_command, Command("cancel"), StateFilter(Compose, Replying))
    compose.message.register(draft_written, StateFilter(Compose.writing, Compose.preview), is_free_input)
    compose.callback_query.register(send_draft, MsgDraftCb.filter(F.action == "send"))
    compose.callback_query.register(rewrite_draft, MsgDraftCb.filter(F.action == "edit"))
    compose.callback_query.register(cancel_draft, MsgDraftCb.filter(F.action == "cancel"))
    router.include_routers(inbox.create_router(), compose)
    return router
