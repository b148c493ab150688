"""/report: choose a child and a period (one message, in place), get the PDF as a document."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.context import AppContext
from bot.report import screens, service
from bot.report.callbacks import ReportChildCb, ReportHomeCb, ReportMakeCb
from bot.ui import Translator, answer_with, show, stale_button
from bot.ui.telegram import bot_of, sender_id


async def report_command(message: Message, ctx: AppContext) -> None:
    await answer_with(message, await service.home(ctx, Translator.current(ctx.i18n), sender_id(message)))


async def report_home(callback: CallbackQuery, ctx: AppContext) -> None:
    await show(callback, await service.home(ctx, Translator.current(ctx.i18n), sender_id(callback)))


async def report_periods(callback: CallbackQuery, callback_data: ReportChildCb, ctx: AppContext) -> None:
    t = Translator.current(ctx.i18n)
    screen = await service.periods(ctx, t, sender_id(callback), callback_data)
    if screen is None:
        await stale_button(callback, screens.stale_child_text(t))
    else:
        await show(callback, screen)


async def report_make(callback: CallbackQuery, callback_data: ReportMakeCb, ctx: AppContext) -> None:
    """The document comes as a new message; the chooser stays for another period."""
    t = Translator.current(ctx.i18n)
    found = await service.report(ctx, t, sender_id(callback), callback_data)
    if found is None:
        await stale_button(callback, screens.stale_child_text(t))
    elif isinstance(found, str):
        await callback.answer(found, show_alert=True)
    else:
        document = BufferedInputFile(found.pdf, found.file_name)
        await bot_of(callback).send_document(sender_id(callback), document, caption=found.caption)
        await callback.answer()


def create_router() -> Router:
    router = Router(name="report")
    router.message.register(report_command, Command("report"))
    router.callback_query.register(report_home, ReportHomeCb.filter())
    router.callback_query.register(report_periods, ReportChildCb.filter())
    router.callback_query.register(report_make, ReportMakeCb.filter())
    return router
