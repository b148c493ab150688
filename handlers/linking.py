"""Linking this Telegram account to e-diary people: `/start CODE` (the deep link), `/link` (asks for the
code), a confirmation with buttons, `/me`, `/unlink` and `/forget`."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.access import roles_of
from bot.callback_factories import (
    ForgetCb,
    LinkCancelCb,
    LinkConfirmCb,
    UnlinkCancelCb,
    UnlinkConfirmCb,
    UnlinkPickCb,
)
from bot.clock import Clock
from bot.config import Settings
from bot.context import AppContext
from bot.ediary.provider import EdiaryProvider, ProviderError
from bot.filters import FreeInput, MenuButton, TextMatches
from bot.i18n import PoI18n
from bot.linking import account, replies
from bot.linking.codes import BARE_CODE_PATTERN, normalize_code
from bot.linking.redeem import Verdict, check_code, confirm_link
from bot.linking.secret import code_hasher
from bot.ui import main_menu
from bot.ui.menu import (
    MENU_LINK,
)
from storage.db import Database

log = logging.getLogger(__name__)

_RETYPE = (Verdict.MALFORMED, Verdict.UNKNOWN)  # a typo: stay in the code step so the user can send it again


class LinkFlow(StatesGroup):
    code = State()  # waiting for the code
    confirm = State()  # a valid code shown; its id is in the FSM data (never trusted from the button)


def _cancel_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=LinkCancelCb().pack())]]
    )


# --- redeeming a code -------------------------------------------------------------------------------
async def start_with_code(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    settings: Settings,
    i18n: PoI18n,
) -> None:
    await _check_and_ask(message, command.args, state, db, provider, clock, settings, i18n)


async def ask_for_code(message: Message, state: FSMContext) -> None:
    await state.set_state(LinkFlow.code)
    await state.set_data({})
    await message.answer(replies.ask_for_code(), reply_markup=_cancel_markup())


async def cancel_command(message: Message, state: FSMContext, db: Database) -> None:
    await state.clear()
    await message.answer(
        _("Cancelled: nothing was linked."), reply_markup=main_menu(await roles_of(db, message.from_user.id))
    )


async def cancel_button(callback: CallbackQuery, state: FSMContext) -> None:
    if await state.get_state() in (LinkFlow.code.state, LinkFlow.confirm.state):
        await state.clear()
    await callback.message.edit_text(_("Cancelled: nothing was linked. Send /link whenever you are ready."))
    await callback.answer()


async def code_sent(
    message: Message,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    settings: Settings,
    i18n: PoI18n,
) -> None:
    if await state.get_state() == LinkFlow.confirm.state and normalize_code(message.text) is None:
        await message.answer(_("Please answer with a button under the message above: link or cancel."))
        return
    await _check_and_ask(message, message.text, state, db, provider, clock, settings, i18n)


async def not_a_text(message: Message) -> None:
    await message.answer(_("Please type the code as text, for example K7QF-93XM-RT2P."), reply_markup=_cancel_markup())


async def bare_code(
    message: Message,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    settings: Settings,
    i18n: PoI18n,
) -> None:
    """A code pasted without /link first: treat it as if /link had been sent."""
    await _check_and_ask(message, message.text, state, db, provider, clock, settings, i18n)


async def _check_and_ask(
    message: Message,
    text: str | None,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    settings: Settings,
    i18n: PoI18n,
) -> None:
    now = clock.now()
    try:
        result = await check_code(db, provider, code_hasher(settings), user_id=message.from_user.id, text=text, now=now)
    except ProviderError:
        await message.answer(replies.provider_down())
        return
    if result.verdict == Verdict.READY:
        assert result.code is not None and result.holder is not None
        await state.set_state(LinkFlow.confirm)
        await state.set_data({"code_id": result.code.id})
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=_("✅ Yes, link"), callback_data=LinkConfirmCb(code_id=result.code.id).pack()
                    ),
                    InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=LinkCancelCb().pack()),
                ]
            ]
        )
        await message.answer(replies.confirm_prompt(result.holder), reply_markup=markup)
        return
    answer = replies.verdict(result, now=now, tz=settings.tz, locale=i18n.current_locale)
    if result.verdict in _RETYPE and result.retry_at is None:
        await state.set_state(LinkFlow.code)
        await state.set_data({})
        await message.answer(answer, reply_markup=_cancel_markup())
    else:
        await state.clear()
        await message.answer(answer, reply_markup=main_menu(await roles_of(db, message.from_user.id)))


async def confirm(
    callback: CallbackQuery,
    callback_data: LinkConfirmCb,
    state: FSMContext,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    settings: Settings,
    ctx: AppContext,
    i18n: PoI18n,
) -> None:
    pending = (await state.get_data()).get("code_id")
    if await state.get_state() != LinkFlow.confirm.state or pending != callback_data.code_id:
        await callback.answer(_("This button is out of date. Send /link to start again."), show_alert=True)
        return
    user_id = callback.from_user.id
    now = clock.now()
    try:
        result = await confirm_link(ctx, db, provider, user_id=user_id, code_id=pending, now=now)
    except ProviderError:
        await callback.answer(replies.provider_down(), show_alert=True)
        return
    except Exception:  # nothing was committed: the code still works
        log.exception("linking user %s failed", user_id)
        await callback.answer(
            _("Something went wrong and nothing was linked; your code still works. Please try again in a minute."),
            show_alert=True,
        )
        return
    await state.clear()
    if result.verdict == Verdict.LINKED:
        assert result.holder is not None
        await callback.message.edit_text(replies.linked(result.holder))
        await callback.message.answer(replies.after_link_hint(), reply_markup=main_menu(await roles_of(db, user_id)))
    else:
        await callback.message.edit_text(replies.verdict(result, now=now, tz=settings.tz, locale=i18n.current_locale))
    await callback.answer()


# --- /me ----------------------------------------------------------------------------------------------
async def show_links(message: Message, db: Database, provider: EdiaryProvider) -> None:
    items, answered = await account.identities(db, provider, message.from_user.id)
    await message.answer(replies.me(items, answered))


# --- /unlink ------------------------------------------------------------------------------------------
async def unlink_choose(message: Message, db: Database, provider: EdiaryProvider) -> None:
    items, _answered = await account.identities(db, provider, message.from_user.id)
    if not items:
        await message.answer(_("This account is not linked to anyone, so there is nothing to unlink."))
        return
    rows = [
        [
            InlineKeyboardButton(
                text=replies.identity_label(item), callback_data=UnlinkPickCb(person=item.person_id).pack()
            )
        ]
        for item in items
    ]
    rows.append([InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=UnlinkCancelCb().pack())])
    await message.answer(_("Which link should I remove?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def unlink_ask(
    callback: CallbackQuery, callback_data: UnlinkPickCb, db: Database, provider: EdiaryProvider
) -> None:
    if await account.owned_link(db, callback.from_user.id, callback_data.person) is None:
        await callback.answer(_("This button is out of date. Send /unlink again."), show_alert=True)
        return
    items, _answered = await account.identities(db, provider, callback.from_user.id)
    item = next(i for i in items if i.person_id == callback_data.person)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=_("Unlink"), callback_data=UnlinkConfirmCb(person=item.person_id).pack()),
                InlineKeyboardButton(text=_("Keep"), callback_data=UnlinkCancelCb().pack()),
            ]
        ]
    )
    await callback.message.edit_text(
        _(
            "Remove this link?\n{who}\n\nAlerts about them will stop coming here, and to link again you will need "
            "a new code from the school."
        ).format(who=replies.identity_line(item)),
        reply_markup=markup,
    )
    await callback.answer()


async def unlink_confirmed(callback: CallbackQuery, callback_data: UnlinkConfirmCb, db: Database, clock: Clock) -> None:
    user_id = callback.from_user.id
    if not await account.unlink(db, user_id=user_id, person_id=callback_data.person, now=clock.now()):
        await callback.answer(_("This button is out of date. Send /unlink again."), show_alert=True)
        return
    await callback.message.edit_text(_("Done: the link is removed."))
    await callback.message.answer(
        _("/me shows what this account is still linked to."), reply_markup=main_menu(await roles_of(db, user_id))
    )
    await callback.answer()


async def unlink_cancelled(callback: CallbackQuery) -> None:
    await callback.message.edit_text(_("Nothing changed."))
    await callback.answer()


# --- /forget ------------------------------------------------------------------------------------------
async def forget_ask(message: Message) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=_("🗑 Erase everything"), callback_data=ForgetCb(confirm=True).pack()),
                InlineKeyboardButton(text=_("✖️ Cancel"), callback_data=ForgetCb(confirm=False).pack()),
            ]
        ]
    )
    await message.answer(
        _(
            "This erases everything I store about you: the links of this account, your alert settings, unfinished "
            "conversations and messages waiting to be delivered. The e-diary itself is not affected. To use the bot "
            "again you will need new codes from the school.\n\nErase everything?"
        ),
        reply_markup=markup,
    )


async def forget_confirmed(
    callback: CallbackQuery, callback_data: ForgetCb, db: Database, clock: Clock, ctx: AppContext
) -> None:
    if not callback_data.confirm:
        await callback.message.edit_text(_("Nothing was erased."))
        await callback.answer()
        return
    user_id = callback.from_user.id
    await account.forget_everything(ctx, db, user_id=user_id, now=clock.now())
    await callback.message.edit_text(_("Done: everything I stored about you is erased."))
    await callback.message.answer(
        _("Goodbye! If you want to come back, send /link with a new code from the school."),
        reply_markup=main_menu(await roles_of(db, user_id)),
    )
    await callback.answer()


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="linking")
    router.message.register(start_with_code, CommandStart(deep_link=True))
    router.message.register(ask_for_code, Command("link"))
    router.message.register(ask_for_code, MenuButton(MENU_LINK))
    router.message.register(cancel_command, Command("cancel"), StateFilter(LinkFlow))
    router.callback_query.register(cancel_button, LinkCancelCb.filter())
    router.message.register(code_sent, StateFilter(LinkFlow), FreeInput())
    router.message.register(not_a_text, StateFilter(LinkFlow.code), ~F.text)
    router.message.register(bare_code, StateFilter(None), TextMatches(BARE_CODE_PATTERN))
    router.callback_query.register(confirm, LinkConfirmCb.filter())
    router.message.register(show_links, Command("me"))
    router.message.register(unlink_choose, Command("unlink"))
    router.callback_query.register(unlink_ask, UnlinkPickCb.filter())
    router.callback_query.register(unlink_confirmed, UnlinkConfirmCb.filter())
    router.callback_query.register(unlink_cancelled, UnlinkCancelCb.filter())
    router.message.register(forget_ask, Command("forget"))
    router.callback_query.register(forget_confirmed, ForgetCb.filter())
    return router
