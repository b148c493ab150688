"""/progress: a child's progress by subject in one message shown in place; charts as photos, switched in place."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InputMediaPhoto, Message

from bot.context import AppContext
from bot.filters import MenuButton
from bot.progress import screens, service
from bot.progress.callbacks import ProgressChartCb, ProgressChartViewCb, ProgressHomeCb, ProgressListCb
from bot.ui import Translator, answer_with, show, stale_button
from bot.ui.menu import MENU_PROGRESS
from bot.ui.telegram import bot_of, sender_id

CHART_FILE = "progress.png"
_GONE = ("message can't be edited", "message to edit not found", "message not found")


async def progress_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await service.home(ctx, Translator.current(ctx.i18n), sender_id(message)))


async def progress_home(callback: CallbackQuery, ctx: AppContext) -> None:
    await show(callback, await service.home(ctx, Translator.current(ctx.i18n), sender_id(callback)))


async def progress_list(callback: CallbackQuery, callback_data: ProgressListCb, ctx: AppContext) -> None:
    t = Translator.current(ctx.i18n)
    reply = await service.progress(ctx, t, sender_id(callback), callback_data)
    if reply is None:
        await stale_button(callback, screens.stale_child_text(t))
    else:
        await show(callback, reply.screen, notice=reply.notice, alert=reply.alert)


async def chart_open(callback: CallbackQuery, callback_data: ProgressChartCb, ctx: AppContext) -> None:
    """A chart as a new photo below the progress text."""
    t = Translator.current(ctx.i18n)
    found = await service.chart(ctx, t, sender_id(callback), callback_data)
    if found is None:
        await stale_button(callback, screens.stale_child_text(t))
    elif isinstance(found, str):
        await callback.answer(found, show_alert=True)
    else:
        await _send_chart(callback, found)
        await callback.answer()


async def chart_view(callback: CallbackQuery, callback_data: ProgressChartViewCb, ctx: AppContext) -> None:
    """Another chart in place of the pressed one (a new photo when Telegram no longer lets it be edited)."""
    t = Translator.current(ctx.i18n)
    found = await service.chart(ctx, t, sender_id(callback), callback_data)
    if found is None:
        await stale_button(callback, screens.stale_child_text(t))
        return
    if isinstance(found, str):
        await callback.answer(found, show_alert=True)
        return
    message = callback.message
    if not isinstance(message, Message):
        await _send_chart(callback, found)
    else:
        media = InputMediaPhoto(media=BufferedInputFile(found.png, CHART_FILE), caption=found.caption)
        try:
            await message.edit_media(media, reply_markup=found.markup)
        except TelegramBadRequest as exc:
            if not any(reason in exc.message for reason in _GONE):
                raise
            await _send_chart(callback, found)
    await callback.answer()


async def _send_chart(callback: CallbackQuery, chart: service.Chart) -> None:
    photo = BufferedInputFile(chart.png, CHART_FILE)
    await bot_of(callback).send_photo(sender_id(callback), photo, caption=chart.caption, reply_markup=chart.markup)


def create_router() -> Router:
    router = Router(name="progress")
    router.message.register(progress_command, Command("progress"))
    router.message.register(progress_command, MenuButton(MENU_PROGRESS))
    router.callback_query.register(progress_home, ProgressHomeCb.filter())
    router.callback_query.register(progress_list, ProgressListCb.filter())
    router.callback_query.register(chart_open, ProgressChartCb.filter())
    router.callback_query.register(chart_view, ProgressChartViewCb.filter())
    return router
