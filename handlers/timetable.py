"""/today, /tomorrow, /week and the 📅 menu button: the timetable with its changes, navigated in place."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callback_factories import TimetableDayCb, TimetablePickCb, TimetableWeekCb
from bot.clock import Clock
from bot.context import AppContext
from bot.ediary.provider import EdiaryProvider, ProviderError
from bot.filters import MenuButton
from bot.i18n import PoI18n
from bot.timetable.keyboards import DAY_VIEW, WEEK_VIEW
from bot.timetable.screens import Screen, entry_screen, pressed_screen, week_to_open
from bot.ui.menu import MENU_TODAY
from storage.db import Database

log = logging.getLogger(__name__)

REACH = timedelta(days=400)  # how far from today a button may lead (anything else is forged)


async def today_command(
    message: Message, db: Database, provider: EdiaryProvider, clock: Clock, ctx: AppContext, i18n: PoI18n
) -> None:
    await _open(message, DAY_VIEW, clock.today(), db, provider, clock, ctx, i18n)


async def tomorrow_command(
    message: Message, db: Database, provider: EdiaryProvider, clock: Clock, ctx: AppContext, i18n: PoI18n
) -> None:
    await _open(message, DAY_VIEW, clock.today() + timedelta(days=1), db, provider, clock, ctx, i18n)


async def week_command(
    message: Message, db: Database, provider: EdiaryProvider, clock: Clock, ctx: AppContext, i18n: PoI18n
) -> None:
    await _open(message, WEEK_VIEW, week_to_open(clock.today()), db, provider, clock, ctx, i18n)


async def day_pressed(
    callback: CallbackQuery,
    callback_data: TimetableDayCb,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    ctx: AppContext,
    i18n: PoI18n,
) -> None:
    day = _button_date(callback_data.day, clock.today())
    await _press(callback, DAY_VIEW, callback_data.kind, callback_data.person, day, db, provider, clock, ctx, i18n)


async def week_pressed(
    callback: CallbackQuery,
    callback_data: TimetableWeekCb,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    ctx: AppContext,
    i18n: PoI18n,
) -> None:
    monday = _button_date(callback_data.monday, clock.today())
    if monday is not None and monday.weekday() != 0:
        monday = None
    await _press(callback, WEEK_VIEW, callback_data.kind, callback_data.person, monday, db, provider, clock, ctx, i18n)


async def pick_pressed(
    callback: CallbackQuery,
    callback_data: TimetablePickCb,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    ctx: AppContext,
    i18n: PoI18n,
) -> None:
    day = _button_date(callback_data.day, clock.today())
    if day is None or callback_data.view not in (DAY_VIEW, WEEK_VIEW):
        await _stale(callback)
        return
    reader = ctx.reader
    try:
        screen = await entry_screen(
            db, reader, callback.from_user.id, callback_data.view, day, clock, i18n.current_locale
        )
    except ProviderError as exc:
        await _unavailable(callback, exc)
        return
    if screen is None:
        await _stale(callback)
        return
    await _show(callback, screen)


async def _open(
    message: Message,
    view: str,
    day: date,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    ctx: AppContext,
    i18n: PoI18n,
) -> None:
    reader = ctx.reader
    try:
        screen = await entry_screen(db, reader, message.from_user.id, view, day, clock, i18n.current_locale)
    except ProviderError as exc:
        log.warning("timetable: e-diary error for user %s: %s", message.from_user.id, type(exc).__name__)
        await message.answer(_unavailable_text())
        return
    if screen is None:
        await message.answer(
            _(
                "The timetable appears here once your account is linked to the e-diary: "
                "send /link with the code the school gave you."
            )
        )
        return
    text, markup = screen
    await message.answer(text, reply_markup=markup)


async def _press(
    callback: CallbackQuery,
    view: str,
    kind: str,
    person: str,
    day: date | None,
    db: Database,
    provider: EdiaryProvider,
    clock: Clock,
    ctx: AppContext,
    i18n: PoI18n,
) -> None:
    if day is None:
        await _stale(callback)
        return
    reader = ctx.reader
    try:
        screen = await pressed_screen(
            db, reader, callback.from_user.id, view, kind, person, day, clock, i18n.current_locale
        )
    except ProviderError as exc:
        await _unavailable(callback, exc)
        return
    if screen is None:
        log.info("timetable: stale or foreign button from user %s", callback.from_user.id)
        await _stale(callback)
        return
    await _show(callback, screen)


async def _show(callback: CallbackQuery, screen: Screen) -> None:
    """Edit the pressed message in place; an unchanged screen is fine, an uneditable one is sent anew."""
    text, markup = screen
    message = callback.message
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message:
                await message.answer(text, reply_markup=markup)
    else:  # too old: Telegram no longer gives the message, so it cannot be edited
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
    await callback.answer()


async def _stale(callback: CallbackQuery) -> None:
    await callback.answer(_("This button is out of date. Open the timetable again: /today"), show_alert=True)


async def _unavailable(callback: CallbackQuery, exc: ProviderError) -> None:
    log.warning("timetable: e-diary error for user %s: %s", callback.from_user.id, type(exc).__name__)
    await callback.answer(_unavailable_text(), show_alert=True)


def _unavailable_text() -> str:
    return _("⚠️ The e-diary is not answering right now. Please try again in a few minutes.")


def _button_date(packed: str, today: date) -> date | None:
    """A YYYYMMDD date from a button, if it is a real date within reach of today."""
    if not re.fullmatch(r"\d{8}", packed):
        return None
    try:
        day = date(int(packed[:4]), int(packed[4:6]), int(packed[6:]))
    except ValueError:
        return None
    return day if abs(day - today) <= REACH else None


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="timetable")
    router.message.register(today_command, Command("today"))
    router.message.register(today_command, MenuButton(MENU_TODAY))
    router.message.register(tomorrow_command, Command("tomorrow"))
    router.message.register(week_command, Command("week"))
    router.callback_query.register(day_pressed, TimetableDayCb.filter())
    router.callback_query.register(week_pressed, TimetableWeekCb.filter())
    router.callback_query.register(pick_pressed, TimetablePickCb.filter())
    return router
