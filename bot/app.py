"""The composition root: every feature listed once, the Bot, the Dispatcher with its middlewares and routers,
and the startup and shutdown hooks. Nothing registers itself by being imported."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import SimpleEventIsolation

import handlers.announce
import handlers.attendance
import handlers.errors
import handlers.events
import handlers.grades
import handlers.group
import handlers.homework
import handlers.invite
import handlers.linking
import handlers.marks
import handlers.messaging
import handlers.progress
import handlers.report
import handlers.settings
import handlers.start
import handlers.stats
import handlers.timetable
from bot.alerts import FEATURE as ALERTS
from bot.alerts.state import PollState
from bot.announce import FEATURE as ANNOUNCE
from bot.attendance import FEATURE as ATTENDANCE
from bot.clock import Clock, SystemClock
from bot.config import DEFAULT_TELEGRAM_API_URL, Settings, SettingsError
from bot.context import AppContext
from bot.credentials import FEATURE as CREDENTIALS
from bot.delivery import FEATURE as DELIVERY
from bot.delivery.lease import LeaseState, new_holder_id
from bot.delivery.ratelimit import SendThrottle
from bot.delivery.sender import DeliveryState
from bot.ediary.cached import ProviderCache
from bot.ediary.provider import EdiaryProvider
from bot.events import FEATURE as EVENTS
from bot.features import Events, Feature
from bot.filters import ChatType
from bot.grades import FEATURE as GRADES
from bot.homework import FEATURE as HOMEWORK
from bot.i18n import PoI18n, UserLocaleMiddleware, create_i18n
from bot.invite import FEATURE as INVITE
from bot.linking import FEATURE as LINKING
from bot.marks import FEATURE as MARKS
from bot.messaging import FEATURE as MESSAGING
from bot.middlewares import UserMiddleware
from bot.observability import logcontext
from bot.observability.bot_api import count_flood_waits
from bot.observability.metered import metered
from bot.observability.middleware import UpdateMiddleware
from bot.progress import FEATURE as PROGRESS
from bot.report import FEATURE as REPORT
from bot.retention import FEATURE as RETENTION
from bot.scheduler import start_scheduler
from bot.serving.drain import TrackUpdates, finish_in_flight
from bot.serving.polling import serve_polling
from bot.serving.routing import IndexedRouter
from bot.serving.webhook import serve_webhook
from bot.settings import FEATURE as SETTINGS
from bot.start import FEATURE as START
from bot.stats import FEATURE as STATS
from bot.timetable import FEATURE as TIMETABLE
from bot.ui.commands import set_bot_commands
from storage.db import Database
from storage.fsm import SQLiteStorage

log = logging.getLogger(__name__)

RouterFactory = Callable[[], Router]


@dataclass(frozen=True, slots=True)
class Wiring:
    feature: Feature
    router: RouterFactory | None = None  # handlers/<feature>.create_router: a new Router per Dispatcher


# Every feature once. Routers see private-chat updates in this order: linking first (it owns `/start CODE`),
# then plain /start and /help, then the features; whatever nobody understood reaches start's fallback router.
FEATURES: tuple[Wiring, ...] = (
    Wiring(LINKING, handlers.linking.create_router),
    Wiring(START, handlers.start.create_router),
    Wiring(INVITE, handlers.invite.create_router),
    Wiring(MARKS, handlers.marks.create_router),
    Wiring(GRADES, handlers.grades.create_router),
    Wiring(PROGRESS, handlers.progress.create_router),
    Wiring(REPORT, handlers.report.create_router),
    Wiring(TIMETABLE, handlers.timetable.create_router),
    Wiring(ATTENDANCE, handlers.attendance.create_router),
    Wiring(HOMEWORK, handlers.homework.create_router),
    Wiring(MESSAGING, handlers.messaging.create_router),
    Wiring(EVENTS, handlers.events.create_router),
    Wiring(ANNOUNCE, handlers.announce.create_router),
    Wiring(SETTINGS, handlers.settings.create_router),
    Wiring(STATS, handlers.stats.create_router),
    Wiring(ALERTS),
    Wiring(DELIVERY),
    Wiring(RETENTION),
    Wiring(CREDENTIALS),
)


def all_features() -> tuple[Feature, ...]:
    return tuple(wiring.feature for wiring in FEATURES)


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None and settings.telegram_api_url != DEFAULT_TELEGRAM_API_URL:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.require_token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def new_context(
    settings: Settings, clock: Clock, i18n: PoI18n, *, provider: EdiaryProvider | None = None
) -> AppContext:
    """A context with fresh runtime state (two contexts in one process are two bot instances)."""
    features = all_features()
    return AppContext(
        settings=settings,
        clock=clock,
        i18n=i18n,
        events=Events(features),
        commands=tuple(command for feature in features for command in feature.commands),
        delivery=DeliveryState(SendThrottle(settings.send_rate_per_second)),
        lease=LeaseState(holder=new_holder_id()),
        provider_cache=ProviderCache(clock),
        poll=PollState(),
        provider=provider,
    )


def create_router() -> Router:
    """Groups get only a hint to open a private chat; personal data is handled in private chats only."""
    private = IndexedRouter(name="private")  # commands and buttons go straight to the features that take them
    private.message.filter(ChatType("private"))
    private.callback_query.filter(ChatType("private"))
    private.include_routers(*(wiring.router() for wiring in FEATURES if wiring.router is not None))
    private.include_router(handlers.start.create_fallback_router())
    private.build_index()
    root = Router(name="root")
    root.include_routers(handlers.group.create_router(), private)
    return root


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
    ctx = new_context(settings, clock, i18n, provider=provider)
    # One update at a time per user: a button pressed while the previous step is still saving its
    # state waits for it instead of reading a half-written conversation.
    dp = Dispatcher(storage=SQLiteStorage(), events_isolation=SimpleEventIsolation(), ctx=ctx, i18n=i18n)
    dp["run_scheduler"] = run_scheduler
    dp["set_commands"] = set_commands

    dp.update.outer_middleware(TrackUpdates(ctx.updates_in_flight))  # first: a stop waits for every update
    dp.update.outer_middleware(UpdateMiddleware())  # log lines name their update; updates counted
    dp.update.outer_middleware(UserMiddleware())
    UserLocaleMiddleware(i18n).setup(dp)
    dp.include_router(create_router())
    dp.errors.register(handlers.errors.answer_failure)

    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    return dp


async def _on_startup(dispatcher: Dispatcher, bot: Bot, ctx: AppContext) -> None:
    try:
        await _open(dispatcher, bot, ctx)
    except BaseException:
        await _close(ctx)  # close what was opened: a half-started bot must still exit
        raise
    log.info("started: e-diary provider %s", ctx.ediary.name)


async def _open(dispatcher: Dispatcher, bot: Bot, ctx: AppContext) -> None:
    try:
        ctx.db = await Database.open(ctx.settings.database_path)
    except sqlite3.Error as exc:
        raise SettingsError(f"DATABASE_PATH: cannot open {ctx.settings.database_path} ({exc})") from None
    storage = dispatcher.storage
    if isinstance(storage, SQLiteStorage):
        storage.attach(ctx.db)
    if ctx.provider is None:
        from bot.ediary import open_provider

        ctx.provider = await open_provider(ctx.settings, ctx.clock)
    ctx.provider = metered(ctx.provider, ctx.metrics)
    ctx.bot = bot
    count_flood_waits(bot, ctx.metrics)
    features = all_features()
    for feature in features:
        for hook in feature.on_startup:
            await hook(ctx)
    if dispatcher["set_commands"]:
        await set_bot_commands(bot, ctx.i18n, ctx.commands)
    if dispatcher["run_scheduler"]:
        ctx.scheduler = start_scheduler(ctx, (job for feature in features for job in feature.jobs))
        ctx.tasks = [
            asyncio.create_task(_as_job(task.name, task.func(ctx)), name=task.name)
            for feature in features
            for task in feature.tasks
        ]
    ctx.started_at = ctx.clock.now()


async def _as_job(name: str, work: Coroutine[Any, Any, None]) -> None:
    """A long-running task whose log lines name it, as a scheduler job's do."""
    with logcontext.for_job(name):
        await work


async def _on_shutdown(dispatcher: Dispatcher, ctx: AppContext) -> None:
    # Polling: updates past the last getUpdates offset are confirmed to Telegram: their handlers finish first.
    await finish_in_flight(ctx.updates_in_flight)
    await _close(ctx)
    log.info("stopped cleanly")


async def _close(ctx: AppContext) -> None:
    if ctx.scheduler is not None:
        ctx.scheduler.shutdown(wait=False)
        ctx.scheduler = None
    tasks, ctx.tasks = ctx.tasks, []
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if ctx.provider is not None:
        await ctx.provider.close()
        ctx.provider = None
    if ctx.db is not None:
        await ctx.db.close()
        ctx.db = None


async def run(settings: Settings) -> None:
    """`ediary-bot run`: a webhook server with WEBHOOK_URL, long polling without; until SIGTERM or SIGINT."""
    bot = create_bot(settings)
    dp = create_dispatcher(settings)
    try:
        await bot.me()  # a rejected token or an unreachable Bot API is known before anything is opened or built
        if settings.webhook_url is not None:
            await serve_webhook(dp, bot, settings)
        else:
            await serve_polling(dp, bot, settings)
    finally:
        await bot.session.close()


async def startup(dp: Dispatcher, bot: Bot) -> None:
    """Run the startup hooks as start_polling does (for tests and tools that feed updates directly)."""
    await dp.emit_startup(**{"dispatcher": dp, "bots": [bot], **dp.workflow_data, "bot": bot})


async def shutdown(dp: Dispatcher, bot: Bot) -> None:
    await dp.emit_shutdown(**{"dispatcher": dp, "bots": [bot], **dp.workflow_data, "bot": bot})
