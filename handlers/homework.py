"""/homework: each child's homework for tomorrow and this week, a student's ticks, edited in place."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.filters import MenuButton
from bot.homework import screens, service
from bot.homework.callbacks import HomeworkTickCb, HomeworkViewCb
from bot.ui import answer_with, show, stale_button
from bot.ui.menu import MENU_HOMEWORK
from bot.ui.telegram import sender_id


async def homework_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await service.open_homework(ctx, sender_id(message)))


async def homework_pressed(callback: CallbackQuery, callback_data: HomeworkViewCb, ctx: AppContext) -> None:
    screen = await service.homework_pressed(ctx, sender_id(callback), callback_data.student)
    if screen is None:
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screen)


async def tick_pressed(callback: CallbackQuery, callback_data: HomeworkTickCb, ctx: AppContext) -> None:
    ticked = await service.tick_pressed(ctx, sender_id(callback), callback_data.homework)
    if ticked is None:
        await stale_button(callback, screens.stale_text())
        return
    notice = None if ticked.done is None else screens.tick_notice(ticked.done)
    await show(callback, ticked.screen, notice=notice)


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="homework")
    router.message.register(homework_command, Command("homework"))
    router.message.register(homework_command, MenuButton(MENU_HOMEWORK))
    router.callback_query.register(homework_pressed, HomeworkViewCb.filter())
    router.callback_query.register(tick_pressed, HomeworkTickCb.filter())
    return router
