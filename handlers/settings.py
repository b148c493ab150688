"""/settings: alert toggles, quiet hours, reminder time, daily summary and language, in one message edited in
place. Typed times are a conversation step with Cancel; bad input gets a clear answer and changes nothing."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import time

from aiogram import F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.access import roles_of
from bot.callback_factories import (
    SettingsAskCb,
    SettingsDeliveryCb,
    SettingsLanguageCb,
    SettingsQuietCb,
    SettingsScreenCb,
    SettingsTimeCb,
    SettingsToggleCb,
)
from bot.ediary.model import Role
from bot.filters import MenuButton
from bot.i18n import PoI18n
from bot.settings import view
from bot.settings.times import parse_range, parse_time, unpack_time
from bot.ui import main_menu
from bot.ui.menu import MENU_SETTINGS
from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import users as users_repo
from storage.db import Database

log = logging.getLogger(__name__)

TOGGLES = {"grades": "alert_grades", "timetable": "alert_timetable", "messages": "alert_messages"}
MAX_ECHO = 40  # characters of bad input quoted back


class SettingsForm(StatesGroup):
    quiet = State()
    reminder = State()
    digest = State()


FIELD_STATES = {"quiet": SettingsForm.quiet, "reminder": SettingsForm.reminder, "digest": SettingsForm.digest}
FIELD_STATES_NAMES = {s.state for s in FIELD_STATES.values()}


async def _account(db: Database, user_id: int, language: str) -> view.Account:
    roles = {link.role for link in await links_repo.links_of_user(db, user_id)}
    return view.Account(
        prefs=await prefs_repo.get_preferences(db, user_id),
        language=language,
        family=bool(roles & {Role.STUDENT, Role.PARENT}),
        student=Role.STUDENT in roles,
        linked=bool(roles),
    )


def _language(i18n: PoI18n) -> str:
    """The language this user sees now (their saved choice, else Telegram's)."""
    return i18n.current_locale


async def _show(callback: CallbackQuery, screen: view.Screen, notice: str | None = None) -> None:
    """Edit the settings message in place (a message too old to edit gets a fresh one)."""
    text, markup = screen
    message = callback.message
    try:
        if isinstance(message, Message):
            await message.edit_text(text, reply_markup=markup)
        else:
            await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "can't be edited" in exc.message or "not found" in exc.message:
            await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
        elif "not modified" not in exc.message:  # the same screen again is fine
            raise
    await callback.answer(notice)


async def settings_command(message: Message, db: Database, i18n: PoI18n, state: FSMContext) -> None:
    if await state.get_state() in FIELD_STATES_NAMES:
        await state.clear()
    account = await _account(db, message.from_user.id, _language(i18n))
    text, markup = view.main_screen(account)
    await message.answer(text, reply_markup=markup)


async def open_screen(
    callback: CallbackQuery, callback_data: SettingsScreenCb, db: Database, i18n: PoI18n, state: FSMContext
) -> None:
    if await state.get_state() in FIELD_STATES_NAMES:  # Cancel of a typed time, or any way back
        await state.clear()
    account = await _account(db, callback.from_user.id, _language(i18n))
    screens = {
        "main": lambda: view.main_screen(account),
        "done": lambda: view.done_screen(account),
        "quiet": lambda: view.quiet_screen(account.prefs),
        "reminder": lambda: view.reminder_screen(account.prefs),
        "delivery": lambda: view.delivery_screen(account.prefs),
        "language": lambda: view.language_screen(account.language),
    }
    allowed = {"quiet": account.linked, "reminder": account.family, "delivery": account.family}
    build = screens.get(callback_data.screen)
    if build is None or not allowed.get(callback_data.screen, True):
        await _stale(callback)
        return
    await _show(callback, build())


async def toggle(callback: CallbackQuery, callback_data: SettingsToggleCb, db: Database, i18n: PoI18n) -> None:
    user_id = callback.from_user.id
    account = await _account(db, user_id, _language(i18n))
    kind = callback_data.kind
    if not account.family or (kind not in TOGGLES and kind != "homework"):
        await _stale(callback)
        return
    if kind == "homework":
        prefs = replace(account.prefs, alert_homework=not account.prefs.homework_alerts(is_student=account.student))
    else:
        prefs = replace(account.prefs, **{TOGGLES[kind]: not getattr(account.prefs, TOGGLES[kind])})
    await prefs_repo.save_preferences(db, user_id, prefs)
    await _show(callback, view.main_screen(replace(account, prefs=prefs)))


async def quiet_preset(callback: CallbackQuery, callback_data: SettingsQuietCb, db: Database, i18n: PoI18n) -> None:
    start, end = unpack_time(callback_data.start), unpack_time(callback_data.end)
    account = await _account(db, callback.from_user.id, _language(i18n))
    if start is None or end is None or not account.linked:
        await _stale(callback)
        return
    prefs = await prefs_repo.update_preferences(db, callback.from_user.id, quiet_start=start, quiet_end=end)
    await _show(callback, view.quiet_screen(prefs), view.saved_text("quiet", prefs))


async def time_preset(callback: CallbackQuery, callback_data: SettingsTimeCb, db: Database, i18n: PoI18n) -> None:
    value = unpack_time(callback_data.value)
    account = await _account(db, callback.from_user.id, _language(i18n))
    if value is None or callback_data.field not in ("reminder", "digest") or not account.family:
        await _stale(callback)
        return
    prefs = await _save_time(db, callback.from_user.id, callback_data.field, value)
    screen = view.reminder_screen(prefs) if callback_data.field == "reminder" else view.delivery_screen(prefs)
    await _show(callback, screen, view.saved_text(callback_data.field, prefs))


async def delivery_mode(callback: CallbackQuery, callback_data: SettingsDeliveryCb, db: Database, i18n: PoI18n) -> None:
    account = await _account(db, callback.from_user.id, _language(i18n))
    if not account.family:
        await _stale(callback)
        return
    prefs = await prefs_repo.update_preferences(db, callback.from_user.id, digest_mode=callback_data.daily)
    await _show(callback, view.delivery_screen(prefs))


async def language(callback: CallbackQuery, callback_data: SettingsLanguageCb, db: Database, i18n: PoI18n) -> None:
    code = callback_data.code
    if code not in view.LANGUAGES:
        await _stale(callback)
        return
    changed = code != _language(i18n)
    await users_repo.set_language(db, callback.from_user.id, code)
    with i18n.use_locale(code):  # the change shows at once, in this very answer
        account = await _account(db, callback.from_user.id, code)
        await _show(callback, view.main_screen(account))
        if changed:  # the menu buttons below the chat speak the new language too
            await callback.bot.send_message(
                callback.from_user.id,
                _("Language: {language}").format(language=view.LANGUAGES[code]),
                reply_markup=main_menu(await roles_of(db, callback.from_user.id)),
            )


async def ask_time(
    callback: CallbackQuery, callback_data: SettingsAskCb, db: Database, i18n: PoI18n, state: FSMContext
) -> None:
    field = callback_data.field
    account = await _account(db, callback.from_user.id, _language(i18n))
    if field not in FIELD_STATES or not account.linked or (field != "quiet" and not account.family):
        await _stale(callback)
        return
    await state.set_state(FIELD_STATES[field])
    if isinstance(callback.message, Message):
        await state.update_data(settings_prompt=callback.message.message_id)
    await _show(callback, view.ask_screen(field))


async def typed_time(message: Message, db: Database, state: FSMContext) -> None:
    field = _field_of(await state.get_state())
    typed = message.text.strip()
    prefs = await _save_typed(db, message.from_user.id, field, typed)
    if prefs is None:
        cancel = view.ask_screen(field)[1]
        echo = html.quote(typed[:MAX_ECHO] + ("…" if len(typed) > MAX_ECHO else ""))
        await message.answer(view.bad_time_text(field, echo), reply_markup=cancel)
        return
    data = await state.get_data()
    await state.clear()
    await _retire_prompt(message, data.get("settings_prompt"))
    screen = {"quiet": view.quiet_screen, "reminder": view.reminder_screen, "digest": view.delivery_screen}[field]
    text, markup = screen(prefs)
    await message.answer(f"✅ {view.saved_text(field, prefs)}\n\n{text}", reply_markup=markup)


async def typed_not_text(message: Message, state: FSMContext) -> None:
    """A photo or a sticker instead of a time: say what is expected; the step stays open."""
    field = _field_of(await state.get_state())
    cancel = view.ask_screen(field)[1]
    await message.answer(_("Please send the time as text, or press Cancel."), reply_markup=cancel)


def _field_of(state_name: str | None) -> str:
    return next(name for name, s in FIELD_STATES.items() if s.state == state_name)


async def _save_typed(db: Database, user_id: int, field: str, typed: str) -> prefs_repo.Preferences | None:
    """Save what the user typed for `field`; None (and nothing saved) when it is not a valid time."""
    if field == "quiet":
        hours = parse_range(typed)
        if hours is None:
            return None
        return await prefs_repo.update_preferences(db, user_id, quiet_start=hours[0], quiet_end=hours[1])
    value = parse_time(typed)
    return None if value is None else await _save_time(db, user_id, field, value)


async def _save_time(db: Database, user_id: int, field: str, value: time) -> prefs_repo.Preferences:
    if field == "reminder":
        return await prefs_repo.update_preferences(db, user_id, reminder_time=value)
    return await prefs_repo.update_preferences(db, user_id, digest_time=value, digest_mode=True)


async def _retire_prompt(message: Message, prompt_id: int | None) -> None:
    """The prompt's Cancel button would be stale once the time is saved: take it away."""
    if prompt_id is None:
        return
    try:
        await message.bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=prompt_id, reply_markup=InlineKeyboardMarkup(inline_keyboard=[])
        )
    except TelegramBadRequest:
        log.debug("settings prompt %s could not be edited", prompt_id)


async def _stale(callback: CallbackQuery) -> None:
    await callback.answer(_("This button is out of date. Please open /settings again."), show_alert=True)


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
    router.message.register(typed_time, StateFilter(*FIELD_STATES.values()), F.text, ~F.text.startswith("/"))
    router.message.register(typed_not_text, StateFilter(*FIELD_STATES.values()), ~F.text)
    return router
