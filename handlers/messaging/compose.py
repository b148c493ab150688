"""/message: a parent or a student picks a child (if several) and a teacher, writes, checks and sends."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.filters import FreeInput, MenuButton
from bot.messaging import answers, screens, service
from bot.messaging.callbacks import (
    MsgChildCb,
    MsgDraftCb,
    MsgStartCb,
    MsgTeacherCb,
)
from bot.messaging.drafts import Draft, Refused, read_draft
from bot.messaging.states import Compose, Replying, ToParents
from bot.ui import Screen, answer_with, show, stale_button
from bot.ui.menu import MENU_MESSAGE, MENU_WRITE_PARENTS
from bot.ui.telegram import sender_id
from handlers.messaging.common import send_below, show_preview, translator

# --- /message ------------------------------------------------------------------------------------


async def start_message(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    start = await service.compose_start(ctx, sender_id(message))
    await answer_with(message, screens.compose_start(start, translator(ctx)))


async def back_to_start(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    start = await service.compose_start(ctx, sender_id(callback))
    await show(callback, screens.compose_start(start, translator(ctx)))


async def child_chosen(callback: CallbackQuery, callback_data: MsgChildCb, state: FSMContext, ctx: AppContext) -> None:
    tr = translator(ctx)
    choice = await service.student_choice(ctx, sender_id(callback), callback_data.student)
    if choice is None:
        await stale_button(callback, answers.student_unavailable(tr))
        return
    await state.clear()
    await show(callback, screens.teacher_picker(choice.student, choice.teachers, tr, can_go_back=choice.several))


async def teacher_chosen(
    callback: CallbackQuery, callback_data: MsgTeacherCb, state: FSMContext, ctx: AppContext
) -> None:
    tr = translator(ctx)
    seat = await service.new_thread(ctx, sender_id(callback), callback_data.student, callback_data.teacher)
    if seat is None:
        await stale_button(callback, answers.teacher_unavailable(tr))
        return
    await state.set_state(Compose.writing)
    await state.set_data({"student": seat.thread.student_id, "teacher": seat.thread.teacher_id})
    await show(callback, screens.writing_prompt(seat.thread, tr, reply=False))


async def cancel_command(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await message.answer(answers.cancelled(translator(ctx)))


async def draft_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    tr, data = translator(ctx), await state.get_data()
    seat = await service.new_thread(ctx, sender_id(message), data.get("student"), data.get("teacher"))
    if seat is None:
        await state.clear()
        await message.answer(answers.teacher_gone(tr))
        return
    draft = read_draft(message)
    if isinstance(draft, Refused):
        await message.answer(answers.problem_text(draft, tr))
        return
    screen = screens.preview(seat.thread, draft, tr, album=bool(message.media_group_id))
    await show_preview(message, state, draft, screen, Compose.preview)


async def send_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr, data = translator(ctx), await state.get_data()
    draft = Draft.from_data(data.get("draft"))
    if await state.get_state() != Compose.preview.state or draft is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    seat = await service.new_thread(ctx, sender_id(callback), data.get("student"), data.get("teacher"))
    if seat is None:
        await state.clear()
        await stale_button(callback, answers.teacher_gone(tr))
        return
    now = ctx.clock.now()
    sent = await service.send(ctx, seat, sender_id(callback), draft)
    if isinstance(sent, service.RateLimited):
        text = answers.rate_limit_text(sent.next_allowed_at, tr, ctx.settings.tz, now, draft_kept=True)
        await callback.answer()
        await send_below(callback, Screen(text))
        return
    await state.clear()
    await show(callback, Screen(answers.outcome_text(sent, tr, ctx.settings.tz, now, to_teacher=True)))


async def rewrite_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    tr, data = translator(ctx), await state.get_data()
    seat = await service.new_thread(ctx, sender_id(callback), data.get("student"), data.get("teacher"))
    if await state.get_state() != Compose.preview.state or seat is None:
        await stale_button(callback, answers.draft_gone(tr))
        return
    await state.set_state(Compose.writing)
    await state.update_data(draft=None, preview_id=None)
    await show(callback, screens.writing_prompt(seat.thread, tr, reply=False))


async def cancel_draft(callback: CallbackQuery, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await show(callback, Screen(answers.cancelled(translator(ctx))))


def create_router() -> Router:
    router = Router(name="messaging.compose")
    free_input = FreeInput(media=True)
    router.message.register(start_message, Command("message"))
    router.message.register(start_message, MenuButton(MENU_MESSAGE))
    router.message.register(start_message, MenuButton(MENU_WRITE_PARENTS))
    router.callback_query.register(back_to_start, MsgStartCb.filter())
    router.callback_query.register(child_chosen, MsgChildCb.filter())
    router.callback_query.register(teacher_chosen, MsgTeacherCb.filter())
    router.message.register(cancel_command, Command("cancel"), StateFilter(Compose, Replying, ToParents))
    router.message.register(draft_written, StateFilter(Compose.writing, Compose.preview), free_input)
    router.callback_query.register(send_draft, MsgDraftCb.filter(F.action == "send"))
    router.callback_query.register(rewrite_draft, MsgDraftCb.filter(F.action == "edit"))
    router.callback_query.register(cancel_draft, MsgDraftCb.filter(F.action == "cancel"))
    return router
