"""/today, /tomorrow, /week and the 📅 menu button: the timetable with its changes, navigated in place."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.ediary.provider import ProviderError
from bot.filters import MenuButton
from bot.timetable import screens, service
from bot.timetable.callbacks import TimetableDayCb, TimetablePickCb, TimetableWeekCb, unpack_date
from bot.ui import Screen, answer_with, show, stale_button
from bot.ui.menu import MENU_TODAY
from bot.ui.telegram import sender_id

log = logging.getLogger(__name__)

Opening = Callable[[AppContext, int], Awaitable[Screen | None]]


async def today_command(message: Message, ctx: AppContext) -> None:
    await _open(message, ctx, service.today)


async def tomorrow_command(message: Message, ctx: AppContext) -> None:
    await _open(message, ctx, service.tomorrow)


async def week_command(message: Message, ctx: AppContext) -> None:
    await _open(message, ctx, service.week)


async def day_pressed(callback: CallbackQuery, callback_data: TimetableDayCb, ctx: AppContext) -> None:
    day = unpack_date(callback_data.day)
    user_id = sender_id(callback)
    await _press(callback, service.day_pressed(ctx, user_id, callback_data.kind, callback_data.person, day))


async def week_pressed(callback: CallbackQuery, callback_data: TimetableWeekCb, ctx: AppContext) -> None:
    monday = unpack_date(callback_data.monday)
    user_id = sender_id(callback)
    await _press(callback, service.week_pressed(ctx, user_id, callback_data.kind, callback_data.person, monday))


async def pick_pressed(callback: CallbackQuery, callback_data: TimetablePickCb, ctx: AppContext) -> None:
    day = unpack_date(callback_data.day)
    await _press(callback, service.pick_pressed(ctx, sender_id(callback), callback_data.span, day))


async def _open(message: Message, ctx: AppContext, opening: Opening) -> None:
    user_id = sender_id(message)
    try:
        screen = await opening(ctx, user_id)
    except ProviderError as exc:
        log.warning("timetable: e-diary error for user %s: %s", user_id, type(exc).__name__)
        await message.answer(screens.unavailable_text())
        return
    if screen is None:
        await message.answer(screens.not_linked_text())
        return
    await answer_with(message, screen)


async def _press(callback: CallbackQuery, pressed: Awaitable[Screen | None]) -> None:
    """Show what the button asks for in place; a stale or foreign one, or an outage, changes nothing."""
    try:
        screen = await pressed
    except ProviderError as exc:
        log.warning("timetable: e-diary error for user %s: %s", callback.from_user.id, type(exc).__name__)
        await callback.answer(screens.unavailable_text(), show_alert=True)
        return
    if screen is None:
        await stale_button(callback, screens.stale_button_text())
        return
    await show(callback, screen)


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
