"""/attendance: each child's absences and lateness in a period, by subject, edited in place."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.attendance import screens, service
from bot.attendance.callbacks import AttendanceCb
from bot.context import AppContext
from bot.filters import MenuButton
from bot.ui import answer_with, show, stale_button
from bot.ui.menu import MENU_ATTENDANCE
from bot.ui.telegram import sender_id


async def attendance_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await service.open_attendance(ctx, sender_id(message)))


async def attendance_pressed(callback: CallbackQuery, callback_data: AttendanceCb, ctx: AppContext) -> None:
    user_id = sender_id(callback)
    screen = await service.attendance_pressed(ctx, user_id, callback_data.student, callback_data.period)
    if screen is None:
        await stale_button(callback, screens.stale_text())
        return
    await show(callback, screen)


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="attendance")
    router.message.register(attendance_command, Command("attendance"))
    router.message.register(attendance_command, MenuButton(MENU_ATTENDANCE))
    router.callback_query.register(attendance_pressed, AttendanceCb.filter())
    return router
