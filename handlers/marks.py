"""/marks: each child's marks of today (or of the last day with marks)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.filters import MenuButton
from bot.marks import service
from bot.marks.callbacks import MarksRetryCb
from bot.ui import answer_with, show
from bot.ui.menu import MENU_MARKS
from bot.ui.telegram import sender_id


async def marks_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await service.todays_marks(ctx, sender_id(message)))


async def marks_retry(callback: CallbackQuery, ctx: AppContext) -> None:
    await show(callback, await service.todays_marks(ctx, sender_id(callback)))


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="marks")
    router.message.register(marks_command, Command("marks"))
    router.message.register(marks_command, MenuButton(MENU_MARKS))
    router.callback_query.register(marks_retry, MarksRetryCb.filter())
    return router
