"""Webhook mode: Telegram posts each update to WEBHOOK_URL (the school's HTTPS proxy in front of this server).

aiogram's SimpleRequestHandler checks the secret header (401 without it, nothing processed) and answers 200
at once, handling the update in a background task. Its own `register` is not used: it would close the Bot's
session at the server's shutdown, before the updates already answered 200 are handled. The app's
startup and shutdown are a cleanup context, so the shutdown runs after the server has stopped taking
requests and finished those in flight; it then waits for their handlers (drain.py) before closing."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.config import Settings
from bot.context import AppContext
from bot.serving.drain import finish_in_flight
from bot.serving.http import add_operator_routes, listen, new_runner

log = logging.getLogger(__name__)


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def build_webhook_app(dp: Dispatcher, bot: Bot, secret: str, path: str) -> web.Application:
    ctx: AppContext = dp["ctx"]
    app = web.Application()
    updates = SimpleRequestHandler(dp, bot, handle_in_background=True, secret_token=secret)
    app.router.add_post(path, updates.handle)
    add_operator_routes(app, ctx)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        await dp.emit_startup(**{"dispatcher": dp, "bots": [bot], **dp.workflow_data, "bot": bot})
        yield
        await finish_in_flight(ctx.updates_in_flight)  # every update answered 200 is handled first
        await dp.emit_shutdown(**{"dispatcher": dp, "bots": [bot], **dp.workflow_data, "bot": bot})

    app.cleanup_ctx.append(lifecycle)
    return app


async def serve_webhook(dp: Dispatcher, bot: Bot, settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT, then stop without losing an update."""
    url = settings.webhook_url
    if url is None:
        raise ValueError("serve_webhook needs WEBHOOK_URL")
    secret = settings.require_webhook_secret()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner = new_runner(build_webhook_app(dp, bot, secret, webhook_path(url)))
    try:
        await runner.setup()  # the app's startup: database, e-diary, features, scheduler
        await listen(runner, settings.webhook_host, settings.webhook_port, "webhook server", "WEBHOOK_PORT")
        await bot.set_webhook(
            url, secret_token=secret, allowed_updates=dp.resolve_used_update_types(), drop_pending_updates=False
        )
        log.info("webhook registered with Telegram; waiting for updates")
        await stop.wait()
        log.info("stopping: no new updates are taken")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await runner.cleanup()
