"""/grades: a child's subjects, a subject's marks and the period — one message shown in place."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import AppContext
from bot.filters import MenuButton
from bot.grades import screens, service
from bot.grades.callbacks import GradesHomeCb, GradesListCb, GradesSubjectCb
from bot.ui import answer_with, show, stale_button
from bot.ui.menu import MENU_GRADES
from bot.ui.telegram import sender_id


async def grades_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await service.home(ctx, sender_id(message)))


async def grades_home(callback: CallbackQuery, ctx: AppContext) -> None:
    await show(callback, await service.home(ctx, sender_id(callback)))


async def subjects_list(callback: CallbackQuery, callback_data: GradesListCb, ctx: AppContext) -> None:
    await _answer(callback, await service.subjects(ctx, sender_id(callback), callback_data))


async def subject_marks(callback: CallbackQuery, callback_data: GradesSubjectCb, ctx: AppContext) -> None:
    await _answer(callback, await service.subject(ctx, sender_id(callback), callback_data))


async def _answer(callback: CallbackQuery, reply: service.Reply | None) -> None:
    if reply is None:
        await stale_button(callback, screens.stale_child_text())
    else:
        await show(callback, reply.screen, notice=reply.notice, alert=reply.alert)


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="grades")
    router.message.register(grades_command, Command("grades"))
    router.message.register(grades_command, MenuButton(MENU_GRADES))
    router.callback_query.register(grades_home, GradesHomeCb.filter())
    router.callback_query.register(subjects_list, GradesListCb.filter())
    router.callback_query.register(subject_marks, GradesSubjectCb.filter())
    return router
