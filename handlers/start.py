"""/start and /help; and, in the last router, an answer to whatever nobody else understood."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.access import roles_of
from bot.context import AppContext
from bot.filters import MenuButton
from bot.start import screens, service
from bot.ui import main_menu, main_menu_for, stale_button
from bot.ui.menu import MENU_HELP
from bot.ui.telegram import sender_id, text_of


async def start(message: Message, ctx: AppContext) -> None:
    roles = await roles_of(ctx.database, sender_id(message))
    first_name = message.from_user.first_name if message.from_user else None
    await message.answer(screens.welcome_text(first_name, linked=bool(roles)), reply_markup=main_menu(roles))


async def help_command(message: Message, ctx: AppContext) -> None:
    audiences = await service.audiences_of(ctx, sender_id(message))
    await message.answer(screens.help_text(ctx.commands, audiences))


async def not_understood(message: Message, ctx: AppContext) -> None:
    user_id = sender_id(message)
    text = screens.not_understood_text(text_of(message), teacher=await service.is_teacher(ctx, user_id))
    await message.answer(text, reply_markup=await main_menu_for(ctx, user_id))


async def unknown_button(callback: CallbackQuery) -> None:
    await stale_button(callback, screens.stale_button_text())


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(help_command, Command("help"))
    router.message.register(help_command, MenuButton(MENU_HELP))
    return router


def create_fallback_router() -> Router:
    """The last router of private chats: never silence."""
    router = Router(name="fallback")
    router.message.register(not_understood)
    router.callback_query.register(unknown_button)
    return router
