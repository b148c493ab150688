"""Linking this Telegram account to e-diary people: `/start CODE` (the deep link), `/link` (asks for the
code), a confirmation with buttons, `/me`, `/unlink` and `/forget`."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardMarkup

from bot.codes.code import normalize_code
from bot.context import AppContext
from bot.ediary.provider import ProviderError
from bot.filters import FreeInput, MenuButton, NoText
from bot.linking import screens, service
from bot.linking.callbacks import (
    ForgetCb,
    LinkCancelCb,
    LinkConfirmCb,
    UnlinkCancelCb,
    UnlinkConfirmCb,
    UnlinkPickCb,
)
from bot.linking.filters import CodeAlone
from bot.linking.redeem import Verdict
from bot.linking.states import CODE_ID_KEY, LinkFlow
from bot.ui import Screen, answer_with, main_menu_for, show, stale_button
from bot.ui.menu import MENU_LINK
from bot.ui.telegram import bot_of, sender_id, text_of

log = logging.getLogger(__name__)


async def _say(callback: CallbackQuery, text: str, menu: ReplyKeyboardMarkup) -> None:
    """A new message under the one just changed in place, with the main menu as it is now (a reply keyboard
    comes only with a new message). A private chat: its id is the user's."""
    await bot_of(callback).send_message(sender_id(callback), text, reply_markup=menu)


# --- redeeming a code -------------------------------------------------------------------------------
async def start_with_code(message: Message, command: CommandObject, state: FSMContext, ctx: AppContext) -> None:
    await _check_and_ask(message, command.args, state, ctx)


async def link_command(message: Message, command: CommandObject, state: FSMContext, ctx: AppContext) -> None:
    """`/link` asks for the code; `/link CODE` uses the code at once, as if it had been typed after /link."""
    if command.args and command.args.strip():
        await _check_and_ask(message, command.args, state, ctx)
    else:
        await ask_for_code(message, state)


async def ask_for_code(message: Message, state: FSMContext) -> None:
    await state.set_state(LinkFlow.code)
    await state.set_data({})
    await answer_with(message, screens.ask_for_code())


async def cancel_command(message: Message, state: FSMContext, ctx: AppContext) -> None:
    await state.clear()
    await message.answer(screens.cancelled_text(), reply_markup=await main_menu_for(ctx, sender_id(message)))


async def cancel_button(callback: CallbackQuery, state: FSMContext) -> None:
    if await state.get_state() in (LinkFlow.code.state, LinkFlow.confirm.state):
        await state.clear()
    await show(callback, screens.cancelled_screen())


async def code_sent(message: Message, state: FSMContext, ctx: AppContext) -> None:
    if await state.get_state() == LinkFlow.confirm.state and normalize_code(message.text) is None:
        await message.answer(screens.use_the_buttons_text())
        return
    await _check_and_ask(message, message.text, state, ctx)


async def not_a_text(message: Message) -> None:
    await answer_with(message, screens.not_a_text())


async def bare_code(message: Message, state: FSMContext, ctx: AppContext) -> None:
    """A code pasted without /link first: treat it as if /link had been sent."""
    await _check_and_ask(message, text_of(message), state, ctx)


async def _check_and_ask(message: Message, text: str | None, state: FSMContext, ctx: AppContext) -> None:
    user_id, now = sender_id(message), ctx.clock.now()
    try:
        result = await service.check(ctx, user_id=user_id, text=text, now=now)
    except ProviderError:
        await message.answer(screens.ediary_down_text())
        return
    if result.verdict == Verdict.READY and result.code is not None and result.holder is not None:
        await state.set_state(LinkFlow.confirm)
        await state.set_data({CODE_ID_KEY: result.code.id})
        await answer_with(message, screens.confirm_screen(result.code.id, result.holder))
        return
    answer = screens.verdict_text(result, now=now, tz=ctx.settings.tz, locale=ctx.i18n.current_locale)
    if service.may_retype(result):
        await state.set_state(LinkFlow.code)
        await state.set_data({})
        await answer_with(message, screens.with_cancel(answer))
    else:
        await state.clear()
        await message.answer(answer, reply_markup=await main_menu_for(ctx, user_id))


async def confirm(callback: CallbackQuery, callback_data: LinkConfirmCb, state: FSMContext, ctx: AppContext) -> None:
    pending = (await state.get_data()).get(CODE_ID_KEY)
    if await state.get_state() != LinkFlow.confirm.state or pending != callback_data.code_id:
        await stale_button(callback, screens.stale_confirm_text())
        return
    user_id, now = sender_id(callback), ctx.clock.now()
    try:
        result = await service.confirm(ctx, user_id=user_id, code_id=callback_data.code_id, now=now)
    except ProviderError:
        await callback.answer(screens.ediary_down_text(), show_alert=True)
        return
    except Exception:  # nothing was committed: the code still works
        log.exception("linking user %s failed", user_id)
        await callback.answer(screens.link_failed_text(), show_alert=True)
        return
    await state.clear()
    if result.verdict == Verdict.LINKED and result.holder is not None:
        await show(callback, screens.linked_screen(result.holder))
        await _say(callback, screens.after_link_hint(), await main_menu_for(ctx, user_id))
    else:
        text = screens.verdict_text(result, now=now, tz=ctx.settings.tz, locale=ctx.i18n.current_locale)
        await show(callback, Screen(text))


# --- /me ----------------------------------------------------------------------------------------------
async def show_links(message: Message, ctx: AppContext) -> None:
    items, answered = await service.identities(ctx, sender_id(message))
    await message.answer(screens.me_text(items, answered))


# --- /unlink ------------------------------------------------------------------------------------------
async def unlink_choose(message: Message, ctx: AppContext) -> None:
    items, _answered = await service.identities(ctx, sender_id(message))
    if not items:
        await message.answer(screens.nothing_to_unlink_text())
        return
    await answer_with(message, screens.unlink_choice_screen(items))


async def unlink_ask(callback: CallbackQuery, callback_data: UnlinkPickCb, ctx: AppContext) -> None:
    item = await service.identity(ctx, sender_id(callback), callback_data.person)
    if item is None:
        await stale_button(callback, screens.stale_unlink_text())
        return
    await show(callback, screens.unlink_confirm_screen(item))


async def unlink_confirmed(callback: CallbackQuery, callback_data: UnlinkConfirmCb, ctx: AppContext) -> None:
    user_id = sender_id(callback)
    if not await service.unlink(ctx, user_id, callback_data.person):
        await stale_button(callback, screens.stale_unlink_text())
        return
    await show(callback, screens.unlinked_screen())
    hint = screens.after_unlink_hint(anything_left=await service.has_links(ctx, user_id))
    await _say(callback, hint, await main_menu_for(ctx, user_id))


async def unlink_cancelled(callback: CallbackQuery) -> None:
    await show(callback, screens.unlink_kept_screen())


# --- /forget ------------------------------------------------------------------------------------------
async def forget_ask(message: Message) -> None:
    await answer_with(message, screens.forget_confirm_screen())


async def forget_confirmed(callback: CallbackQuery, callback_data: ForgetCb, ctx: AppContext) -> None:
    if not callback_data.confirm:
        await show(callback, screens.forget_kept_screen())
        return
    user_id = sender_id(callback)
    await service.forget(ctx, user_id)
    await show(callback, screens.forgotten_screen())
    await _say(callback, screens.goodbye_text(), await main_menu_for(ctx, user_id))


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="linking")
    router.message.register(start_with_code, CommandStart(deep_link=True))
    router.message.register(link_command, Command("link"))
    router.message.register(ask_for_code, MenuButton(MENU_LINK))
    router.message.register(cancel_command, Command("cancel"), StateFilter(LinkFlow))
    router.callback_query.register(cancel_button, LinkCancelCb.filter())
    router.message.register(code_sent, StateFilter(LinkFlow), FreeInput())
    router.message.register(not_a_text, StateFilter(LinkFlow.code), NoText())
    router.message.register(bare_code, StateFilter(None), CodeAlone())
    router.callback_query.register(confirm, LinkConfirmCb.filter())
    router.message.register(show_links, Command("me"))
    router.message.register(unlink_choose, Command("unlink"))
    router.callback_query.register(unlink_ask, UnlinkPickCb.filter())
    router.callback_query.register(unlink_confirmed, UnlinkConfirmCb.filter())
    router.callback_query.register(unlink_cancelled, UnlinkCancelCb.filter())
    router.message.register(forget_ask, Command("forget"))
    router.callback_query.register(forget_confirmed, ForgetCb.filter())
    return router
