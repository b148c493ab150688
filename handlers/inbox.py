"""/inbox and answering: threads with unread counts, a thread's history, Reply (button or Telegram reply), mute."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.callback_factories import MsgInboxCb, MsgMuteCb, MsgOpenCb, MsgReplyCb, MsgThreadCb
from bot.clock import Clock
from bot.context import AppContext
from bot.ediary.provider import EdiaryProvider
from bot.filters import FreeInput, MenuButton
from bot.i18n import PoI18n
from bot.messaging import views
from bot.messaging.drafts import read_draft
from bot.messaging.inbox import inbox_screen, thread_screen
from bot.messaging.people import Side, participant
from bot.messaging.relay import RateLimited, post
from bot.messaging.render import Translator, relay_calls
from bot.ui.menu import (
    MENU_INBOX,
)
from storage import messages as messages_repo
from storage import outbox
from storage.db import Database


class Replying(StatesGroup):
    writing = State()


def tr_of(i18n: PoI18n) -> Translator:
    return Translator(i18n, i18n.current_locale)


# Not a command and not a main-menu button (those keep working in the middle of writing).
is_free_input = FreeInput(media=True)


class RepliedThread(Filter):
    """A Telegram reply to a relayed message; gives the handler `replied_thread_id`."""

    async def __call__(self, message: Message, db: Database) -> bool | dict[str, int]:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        item = await outbox.find_by_sent_message(db, message.chat.id, replied.message_id)
        if item is None or not (item.ref or "").startswith("msg:") or not item.ref[4:].isdigit():
            return False
        stored = await messages_repo.get_message(db, int(item.ref[4:]))
        return {"replied_thread_id": stored.thread_id if stored is not None else 0}


async def show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message in place (a repeated click that changes nothing is fine)."""
    if not isinstance(callback.message, Message):  # too old for Telegram to let us edit it: answer below
        await callback.message.answer(text, reply_markup=markup)
        return
    try:
        await callback.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" not in str(exc):
            raise


# --- answering -------------------------------------------------------------------------------------


async def post_answer(
    message: Message,
    thread_id: int,
    *,
    state: FSMContext,
    ctx: AppContext,
    db: Database,
    provider: EdiaryProvider,
    i18n: PoI18n,
) -> None:
    tr = tr_of(i18n)
    found = await participant(db, provider, message.from_user.id, thread_id)
    if found is None:
        await state.clear()
        await message.answer(_("This conversation is not available to you any more."))
        return
    thread, side = found
    draft, problem, length = read_draft(message)
    if draft is None:
        await message.answer(views.problem_text(problem, length, tr))  # type: ignore[arg-type]
        return
    now = ctx.clock.now()
    try:
        outcome = await post(
            ctx, thread, author_user_id=message.from_user.id, from_teacher=side == Side.TEACHER, draft=draft
        )
    except RateLimited as limited:
        await message.answer(views.rate_limit_text(limited.next_allowed_at, tr, ctx.settings.tz, now, draft_kept=False))
        return
    await state.clear()
    await message.answer(views.outcome_text(outcome, tr, ctx.settings.tz, now, to_teacher=side == Side.FAMILY))


async def reply_by_telegram(
    message: Message,
    replied_thread_id: int,
    state: FSMContext,
    ctx: AppContext,
    db: Database,
    provider: EdiaryProvider,
    i18n: PoI18n,
) -> None:
    await post_answer(message, replied_thread_id, state=state, ctx=ctx, db=db, provider=provider, i18n=i18n)


async def reply_button(
    callback: CallbackQuery,
    callback_data: MsgReplyCb,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    i18n: PoI18n,
) -> None:
    found = await participant(db, provider, callback.from_user.id, callback_data.thread_id)
    if found is None:
        await callback.answer(_("This conversation is not available to you."), show_alert=True)
        return
    thread, side = found
    await state.set_state(Replying.writing)
    await state.set_data({"thread": thread.id})
    text, markup = views.writing_prompt(thread, tr_of(i18n), reply=True, viewer_is_teacher=side == Side.TEACHER)
    await callback.message.answer(text, reply_markup=markup)
    await callback.answer()


async def reply_written(
    message: Message, state: FSMContext, ctx: AppContext, db: Database, provider: EdiaryProvider, i18n: PoI18n
) -> None:
    thread_id = (await state.get_data()).get("thread")
    await post_answer(
        message,
        thread_id if isinstance(thread_id, int) else 0,
        state=state,
        ctx=ctx,
        db=db,
        provider=provider,
        i18n=i18n,
    )


# --- /inbox --------------------------------------------------------------------------------------


async def inbox(message: Message, ctx: AppContext, db: Database, i18n: PoI18n) -> None:
    text, markup = await inbox_screen(ctx, message.from_user.id, 0, tr_of(i18n))
    await message.answer(text, reply_markup=markup)


async def inbox_page(
    callback: CallbackQuery, callback_data: MsgInboxCb, ctx: AppContext, db: Database, i18n: PoI18n
) -> None:
    text, markup = await inbox_screen(ctx, callback.from_user.id, callback_data.page, tr_of(i18n))
    await show(callback, text, markup)
    await callback.answer()


async def thread_history(
    callback: CallbackQuery,
    callback_data: MsgThreadCb,
    ctx: AppContext,
    db: Database,
    provider: EdiaryProvider,
    i18n: PoI18n,
) -> None:
    found = await participant(db, provider, callback.from_user.id, callback_data.thread_id)
    if found is None:
        await callback.answer(_("This conversation is not available to you."), show_alert=True)
        return
    text, markup = await thread_screen(ctx, callback.from_user.id, *found, callback_data.page, tr_of(i18n))
    if callback_data.fresh:  # from under a relayed message: keep that message, show the history below it
        await callback.message.answer(text, reply_markup=markup)
    else:
        await show(callback, text, markup)
    await callback.answer()


async def mute_thread(
    callback: CallbackQuery,
    callback_data: MsgMuteCb,
    ctx: AppContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    i18n: PoI18n,
) -> None:
    found = await participant(db, provider, callback.from_user.id, callback_data.thread_id)
    if found is None or found[1] != Side.TEACHER:
        await callback.answer(_("This conversation is not available to you."), show_alert=True)
        return
    thread, side = found
    await messages_repo.set_muted(db, thread.id, callback.from_user.id, callback_data.mute, clock.now())
    text, markup = await thread_screen(ctx, callback.from_user.id, thread, side, 0, tr_of(i18n))
    await show(callback, text, markup)
    if callback_data.mute:
        await callback.answer(
            _(
                "🔕 Muted. New messages in this conversation will not come to your chat: they are "
                "kept in /inbox with an unread count. The sender is not told."
            ),
            show_alert=True,
        )
    else:
        await callback.answer(
            _("🔔 Unmuted: new messages in this conversation will come to your chat again."), show_alert=True
        )


async def open_message(
    callback: CallbackQuery, callback_data: MsgOpenCb, bot: Bot, db: Database, provider: EdiaryProvider, i18n: PoI18n
) -> None:
    """One message of the history in full: the whole text, or the photo or document copied again."""
    stored = await messages_repo.get_message(db, callback_data.message_id)
    found = None if stored is None else await participant(db, provider, callback.from_user.id, stored.thread_id)
    if stored is None or found is None:
        await callback.answer(_("This message is not available to you."), show_alert=True)
        return
    chat_id = callback.from_user.id
    try:
        for method, payload in relay_calls(stored, found[0], tr_of(i18n)):
            if "reply_markup" in payload:
                payload["reply_markup"] = InlineKeyboardMarkup.model_validate(payload["reply_markup"])
            if method == "copy_message":
                await bot.copy_message(chat_id=chat_id, **payload)
            else:
                await bot.send_message(chat_id=chat_id, **payload)
    except TelegramBadRequest:
        await callback.answer(
            _("This file is no longer available: it was deleted from the sender's chat."), show_alert=True
        )
        return
    await callback.answer()


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="messaging.inbox")
    router.message.register(reply_by_telegram, RepliedThread(), is_free_input)
    router.callback_query.register(reply_button, MsgReplyCb.filter())
    router.message.register(reply_written, Replying.writing, is_free_input)
    router.message.register(inbox, Command("inbox"))
    router.message.register(inbox, MenuButton(MENU_INBOX))
    router.callback_query.register(inbox_page, MsgInboxCb.filter())
    router.callback_query.register(thread_history, MsgThreadCb.filter())
    router.callback_query.register(mute_thread, MsgMuteCb.filter())
    router.callback_query.register(open_message, MsgOpenCb.filter())
    return router
