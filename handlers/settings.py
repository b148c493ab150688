"""/settings: alert toggles, quiet hours, reminder time, daily summary and language, in one message edited in
place. Typed times are a conversation step with Cancel; bad input gets a clear answer and changes nothing."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.context import AppContext
from bot.filters import FreeInput, MenuButton, NoText
from bot.i18n import PoI18n
from bot.settings import screens, service
from bot.settings.callbacks import (
    SettingsAskCb,
    SettingsDeliveryCb,
    SettingsLanguageCb,
    SettingsQuietCb,
    SettingsScreenCb,
    SettingsTimeCb,
    SettingsToggleCb,
)
from bot.settings.states import FIELD_STATES, field_of
from bot.ui import answer_with, main_menu_for, show, stale_button
from bot.ui.menu import MENU_SETTINGS
from bot.ui.telegram import bot_of, sender_id, text_of

log = logging.getLogger(__name__)


async def settings_command(message: Message, ctx: AppContext, i18n: PoI18n, state: FSMContext) -> None:
    if field_of(await state.get_state()) is not None:
        await state.clear()
    account = await service.account_of(ctx, sender_id(message), i18n.current_locale)
    await answer_with(message, screens.main_screen(account))


async def open_screen(
    callback: CallbackQuery, callback_data: SettingsScreenCb, ctx: AppContext, i18n: PoI18n, state: FSMContext
) -> None:
    if field_of(await state.get_state()) is not None:  # Cancel of a typed time, or any way back
        await state.clear()
    account = await service.account_of(ctx, sender_id(callback), i18n.current_locale)
    if not service.may_open(account, callback_data.screen):
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screens.by_name(callback_data.screen, account))


async def toggle(callback: CallbackQuery, callback_data: SettingsToggleCb, ctx: AppContext, i18n: PoI18n) -> None:
    account = await service.account_of(ctx, sender_id(callback), i18n.current_locale)
    toggled = await service.toggle(ctx, account, callback_data.kind)
    if toggled is None:
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screens.main_screen(toggled))


async def quiet_preset(callback: CallbackQuery, callback_data: SettingsQuietCb, ctx: AppContext, i18n: PoI18n) -> None:
    account = await service.account_of(ctx, sender_id(callback), i18n.current_locale)
    prefs = await service.choose_quiet(ctx, account, callback_data.start, callback_data.end)
    if prefs is None:
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screens.quiet_screen(prefs), notice=screens.saved_text("quiet", prefs))


async def time_preset(callback: CallbackQuery, callback_data: SettingsTimeCb, ctx: AppContext, i18n: PoI18n) -> None:
    account = await service.account_of(ctx, sender_id(callback), i18n.current_locale)
    field = callback_data.field
    prefs = await service.choose_time(ctx, account, field, callback_data.value)
    if prefs is None:
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screens.field_screen(field, prefs), notice=screens.saved_text(field, prefs))


async def delivery_mode(
    callback: CallbackQuery, callback_data: SettingsDeliveryCb, ctx: AppContext, i18n: PoI18n
) -> None:
    account = await service.account_of(ctx, sender_id(callback), i18n.current_locale)
    prefs = await service.choose_delivery(ctx, account, daily=callback_data.daily)
    if prefs is None:
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screens.delivery_screen(prefs))


async def language(callback: CallbackQuery, callback_data: SettingsLanguageCb, ctx: AppContext, i18n: PoI18n) -> None:
    code, user_id = callback_data.code, sender_id(callback)
    if not service.offers_language(code):
        await stale_button(callback, screens.stale_text())
        return
    changed = code != i18n.current_locale
    await service.set_language(ctx, user_id, code)
    with i18n.use_locale(code):  # the change shows at once, in this very answer
        await show(callback, screens.main_screen(await service.account_of(ctx, user_id, code)))
        if changed:  # the menu buttons below the chat speak the new language too
            await bot_of(callback).send_message(
                user_id, screens.language_changed_text(code), reply_markup=await main_menu_for(ctx, user_id)
            )


async def ask_time(
    callback: CallbackQuery, callback_data: SettingsAskCb, ctx: AppContext, i18n: PoI18n, state: FSMContext
) -> None:
    field = callback_data.field
    account = await service.account_of(ctx, sender_id(callback), i18n.current_locale)
    if not service.may_type(account, field):
        await stale_button(callback, screens.stale_text())
        return
    await state.set_state(FIELD_STATES[field])
    if isinstance(callback.message, Message):
        await state.update_data(settings_prompt=callback.message.message_id)
    await show(callback, screens.ask_screen(field))


async def typed_time(message: Message, ctx: AppContext, state: FSMContext) -> None:
    field = _typed_field(await state.get_state())
    typed = text_of(message).strip()
    prefs = await service.save_typed(ctx, sender_id(message), field, typed)
    if prefs is None:
        await answer_with(message, screens.bad_time_screen(field, typed))
        return
    data = await state.get_data()
    await state.clear()
    await _remove_buttons(message, data.get("settings_prompt"))  # the prompt's Cancel would be stale now
    await answer_with(message, screens.saved_screen(field, prefs))


async def typed_not_text(message: Message, state: FSMContext) -> None:
    """A photo or a sticker instead of a time: say what is expected; the step stays open."""
    await answer_with(message, screens.not_text_screen(_typed_field(await state.get_state())))


def _typed_field(state_name: str | None) -> str:
    field = field_of(state_name)
    if field is None:  # the StateFilter of these handlers admits only the settings states
        raise ValueError(f"not a settings state: {state_name}")
    return field


async def _remove_buttons(message: Message, message_id: int | None) -> None:
    """Take the inline buttons off an earlier message of this chat (one Telegram still lets the bot edit)."""
    if message_id is None:
        return
    try:
        await bot_of(message).edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message_id, reply_markup=InlineKeyboardMarkup(inline_keyboard=[])
        )
    except TelegramBadRequest:
        log.debug("buttons of message %s could not be removed", message_id)


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="settings")
    router.message.register(settings_command, Command("settings"))
    router.message.register(settings_command, MenuButton(MENU_SETTINGS))
    router.callback_query.register(open_screen, SettingsScreenCb.filter())
    router.callback_query.register(toggle, SettingsToggleCb.filter())
    router.callback_query.register(quiet_preset, SettingsQuietCb.filter())
    router.callback_query.register(time_preset, SettingsTimeCb.filter())
    router.callback_query.register(delivery_mode, SettingsDeliveryCb.filter())
    router.callback_query.register(language, SettingsLanguageCb.filter())
    router.callback_query.register(ask_time, SettingsAskCb.filter())
    router.message.register(typed_time, StateFilter(*FIELD_STATES.values()), FreeInput())
    router.message.register(typed_not_text, StateFilter(*FIELD_STATES.values()), NoText())
    return router
