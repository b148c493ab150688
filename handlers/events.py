"""/events: the coming school events that concern the account, a page of days at a time, edited in place."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.ediary.provider import ProviderError
from bot.events import screens, service
from bot.events.callbacks import EventsPageCb
from bot.filters import MenuButton
from bot.ui import Screen, Translator, answer_with, show
from bot.ui.menu import MENU_EVENTS
from bot.ui.telegram import sender_id

log = logging.getLogger(__name__)


async def _screen(ctx: AppContext, user_id: int, page: int) -> Screen:
    t = Translator.current(ctx.i18n)
    try:
        found = await service.coming_events(ctx, user_id, page)
    except ProviderError as exc:
        log.warning("events: e-diary error for user %s: %s", user_id, type(exc).__name__)
        return screens.outage(t, page)
    if isinstance(found, service.Refusal):
        return Screen(screens.refusal_text(found, t))
    return screens.events_screen(found, t, ctx.settings.tz)


async def events_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await _screen(ctx, sender_id(message), 0))


async def events_page(callback: CallbackQuery, callback_data: EventsPageCb, ctx: AppContext) -> None:
    await show(callback, await _screen(ctx, sender_id(callback), callback_data.page))


def create_router() -> Router:
    router = Router(name="events")
    router.message.register(events_command, Command("events"))
    router.message.register(events_command, MenuButton(MENU_EVENTS))
    router.callback_query.register(events_page, EventsPageCb.filter())
    return router
