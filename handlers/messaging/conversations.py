"""Answers (the «Reply» button or a Telegram reply to a relayed message), /inbox, a thread's history, mute,
opening one message in full."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.filters import FreeInput, MenuButton
from bot.messaging import answers, screens, service
from bot.messaging.callbacks import (
    MsgInboxCb,
    MsgMuteCb,
    MsgOpenCb,
    MsgReplyCb,
    MsgThreadCb,
)
from bot.messaging.drafts import Refused, read_draft
from bot.messaging.filters import RepliedThread
from bot.messaging.render import send_now
from bot.messaging.states import Replying
from bot.ui import answer_with, show, stale_button
from bot.ui.menu import MENU_INBOX
from bot.ui.telegram import bot_of, sender_id
from handlers.messaging.common import send_below, translator

# --- answering -------------------------------------------------------------------------------------


async def _post_answer(message: Message, thread_id: int, state: FSMContext, ctx: AppContext) -> None:
    tr = translator(ctx)
    seat = await service.participant(ctx, sender_id(message), thread_id)
    if seat is None:
        await state.clear()
        await message.answer(answers.thread_gone(tr))
        return
    draft = read_draft(message)
    if isinstance(draft, Refused):
        await message.answer(answers.problem_text(draft, tr))
        return
    now = ctx.clock.now()
    sent = await service.send(ctx, seat, sender_id(message), draft)
    if isinstance(sent, service.RateLimited):
        await message.answer(answers.rate_limit_text(sent.next_allowed_at, tr, ctx.settings.tz, now, draft_kept=False))
        return
    await state.clear()
    await message.answer(answers.outcome_text(sent, tr, ctx.settings.tz, now, to_teacher=not seat.as_teacher))


async def reply_by_telegram(message: Message, replied_thread_id: int, state: FSMContext, ctx: AppContext) -> None:
    await _post_answer(message, replied_thread_id, state, ctx)


async def reply_button(callback: CallbackQuery, callback_data: MsgReplyCb, state: FSMContext, ctx: AppContext) -> None:
    tr = translator(ctx)
    seat = await service.participant(ctx, sender_id(callback), callback_data.thread_id)
    if seat is None:
        await stale_button(callback, answers.thread_unavailable(tr))
        return
    await state.set_state(Replying.writing)
    await state.set_data({"thread": seat.thread.id})
    await send_below(callback, screens.writing_prompt(seat.thread, tr, reply=True, viewer_is_teacher=seat.as_teacher))
    await callback.answer()


async def reply_written(message: Message, state: FSMContext, ctx: AppContext) -> None:
    thread_id = (await state.get_data()).get("thread")
    await _post_answer(message, thread_id if isinstance(thread_id, int) else 0, state, ctx)


# --- /inbox and a thread -------------------------------------------------------------------------


async def inbox(message: Message, ctx: AppContext) -> None:
    page = await service.inbox(ctx, sender_id(message), 0)
    await answer_with(message, screens.inbox_page(page, translator(ctx), ctx.settings.tz, ctx.clock.now()))


async def inbox_page(callback: CallbackQuery, callback_data: MsgInboxCb, ctx: AppContext) -> None:
    page = await service.inbox(ctx, sender_id(callback), callback_data.page)
    await show(callback, screens.inbox_page(page, translator(ctx), ctx.settings.tz, ctx.clock.now()))


async def thread_history(callback: CallbackQuery, callback_data: MsgThreadCb, ctx: AppContext) -> None:
    tr, user_id = translator(ctx), sender_id(callback)
    seat = await service.participant(ctx, user_id, callback_data.thread_id)
    if seat is None:
        await stale_button(callback, answers.thread_unavailable(tr))
        return
    history = await service.thread_history(ctx, user_id, seat, callback_data.page)
    screen = screens.thread_page(history, tr, ctx.settings.tz, ctx.clock.now())
    if callback_data.fresh:  # from under a relayed message: keep that message, show the history below it
        await send_below(callback, screen)
        await callback.answer()
    else:
        await show(callback, screen)


async def mute_thread(callback: CallbackQuery, callback_data: MsgMuteCb, ctx: AppContext) -> None:
    tr, user_id = translator(ctx), sender_id(callback)
    seat = await service.set_muted(ctx, user_id, callback_data.thread_id, callback_data.mute)
    if seat is None:
        await stale_button(callback, answers.thread_unavailable(tr))
        return
    history = await service.thread_history(ctx, user_id, seat, 0)
    screen = screens.thread_page(history, tr, ctx.settings.tz, ctx.clock.now())
    await show(callback, screen, notice=answers.muted(tr, mute=callback_data.mute), alert=True)


async def open_message(callback: CallbackQuery, callback_data: MsgOpenCb, ctx: AppContext) -> None:
    """One message of the history in full: the whole text, or the photo or document copied again."""
    tr, user_id = translator(ctx), sender_id(callback)
    calls = await service.message_in_full(ctx, user_id, callback_data.message_id, tr)
    if calls is None:
        await stale_button(callback, answers.message_unavailable(tr))
        return
    try:
        await send_now(bot_of(callback), user_id, calls)
    except TelegramBadRequest:
        await callback.answer(answers.file_gone(tr), show_alert=True)
        return
    await callback.answer()


def create_router() -> Router:
    router = Router(name="messaging.conversations")
    free_input = FreeInput(media=True)  # commands and main-menu buttons keep working in the middle of writing
    router.message.register(reply_by_telegram, RepliedThread(), free_input)
    router.callback_query.register(reply_button, MsgReplyCb.filter())
    router.message.register(reply_written, Replying.writing, free_input)
    router.message.register(inbox, Command("inbox"))
    router.message.register(inbox, MenuButton(MENU_INBOX))
    router.callback_query.register(inbox_page, MsgInboxCb.filter())
    router.callback_query.register(thread_history, MsgThreadCb.filter())
    router.callback_query.register(mute_thread, MsgMuteCb.filter())
    router.callback_query.register(open_message, MsgOpenCb.filter())
    return router
