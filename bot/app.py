"""Wiring: the Bot, the Dispatcher with its middlewares and routers, startup and shutdown hooks."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import SimpleEventIsolation

import bot.alerts  # noqa: F401  (registers the scheduler jobs and the sender task)
from bot.clock import Clock, SystemClock
from bot.commands import set_bot_commands
from bot.config import DEFAULT_TELEGRAM_API_URL, Settings, SettingsError
from bot.context import AppContext
from bot.ediary.provider import EdiaryProvider
from bot.i18n import UserLocaleMiddleware, create_i18n
from bot.middlewares import UserMiddleware
from bot.scheduler import background_tasks, start_scheduler
from handlers import get_routers
from handlers.errors import answer_failure
from storage.db import Database
from storage.fsm import SQLiteStorage

log = logging.getLogger(__name__)


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None and settings.telegram_api_url != DEFAULT_TELEGRAM_API_URL:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.require_token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_dispatcher(
    settings: Settings,
    *,
    clock: Clock | None = None,
    provider: EdiaryProvider | None = None,
    run_scheduler: bool = True,
    set_commands: bool = True,
) -> Dispatcher:
    """Nothing is opened here: the database and the e-diary are opened in the startup hook."""
    clock = clock or SystemClock(settings.tz)
    i18n = create_i18n()
    storage = SQLiteStorage()
    ctx = AppContext(settings=settings, clock=clock, i18n=i18n, provider=provider)
    # One update at a time per user: a button pressed while the previous step is still saving its
    # state waits for it instead of reading a half-written conversation.
    dp = Dispatcher(
        storage=storage, events_isolation=SimpleEventIsolation(), ctx=ctx, settings=settings, clock=clock, i18n=i18n
    )
    dp["run_scheduler"] = run_scheduler
    dp["set_commands"] = set_commands

    dp.update.outer_middleware(UserMiddleware())
    UserLocaleMiddleware(i18n).setup(dp)
    dp.include_routers(*get_routers())
    dp.errors.register(answer_failure)

    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    return dp


async def _on_startup(dispatcher: Dispatcher, bot: Bot, ctx: AppContext) -> None:
    try:
        await _open(dispatcher, bot, ctx)
    except BaseException:
        await _on_shutdown(ctx)  # close what was opened: a half-started bot must still exit
        raise
    log.info("started: e-diary provider %s", ctx.provider.name)  # type: ignore[union-attr]


async def _open(dispatcher: Dispatcher, bot: Bot, ctx: AppContext) -> None:
    try:
        ctx.db = await Database.open(ctx.settings.database_path)
    except sqlite3.Error as exc:
        raise SettingsError(f"DATABASE_PATH: cannot open {ctx.settings.database_path} ({exc})") from None
    dispatcher.storage.attach(ctx.db)  # type: ignore[attr-defined]
    if ctx.provider is None:
        from bot.ediary import open_provider

        ctx.provider = await open_provider(ctx.settings, ctx.clock)
    ctx.bot = bot
    dispatcher["db"] = ctx.db
    dispatcher["provider"] = ctx.provider
    if dispatcher["set_commands"]:
        await set_bot_commands(bot, ctx.i18n)
    if dispatcher["run_scheduler"]:
        ctx.scheduler = start_scheduler(ctx)
        tasks = [asyncio.create_task(func(ctx), name=name) for name, func in background_tasks()]
        ctx.extras["background_tasks"] = tasks


async def _on_shutdown(ctx: AppContext) -> None:
    if ctx.scheduler is not None:
        ctx.scheduler.shutdown(wait=False)
        ctx.scheduler = None
    tasks: list[asyncio.Task] = ctx.extras.pop("background_tasks", [])
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if ctx.provider is not None:
        await ctx.provider.close()
        ctx.provider = None
    if ctx.db is not None:
        await ctx.db.close()
        ctx.db = None
    log.info("stopped cleanly")


async def run_polling(settings: Settings) -> None:
    bot = create_bot(settings)
    dp = create_dispatcher(settings)
    try:
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())
    finally:
        await bot.session.close()


async def startup(dp: Dispatcher, bot: Bot) -> None:
    """Run the startup hooks as start_polling does (for tests and tools that feed updates directly)."""
    await dp.emit_startup(**{"dispatcher": dp, "bots": [bot], **dp.workflow_data, "bot": bot})


async def shutdown(dp: Dispatcher, bot: Bot) -> None:
    await dp.emit_shutdown(**{"dispatcher": dp, "bots": [bot], **dp.workflow_data, "bot": bot})
