"""Long polling: getUpdates in a loop (aiogram's), /healthz and /metrics on HEALTH_PORT when it is set."""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot, Dispatcher

from bot.config import Settings
from bot.context import AppContext
from bot.serving.http import operator_server

log = logging.getLogger(__name__)


async def serve_polling(dp: Dispatcher, bot: Bot, settings: Settings) -> None:
    ctx: AppContext = dp["ctx"]
    # a webhook left by webhook mode would make every getUpdates fail; its pending updates are kept
    await bot.delete_webhook(drop_pending_updates=False)
    async with contextlib.AsyncExitStack() as stack:
        if settings.health_port is not None:
            await stack.enter_async_context(operator_server(ctx, settings.health_host, settings.health_port))
        # aiogram stops on SIGTERM/SIGINT and then runs the shutdown hooks (bot/app.py waits there for the
        # updates still being handled)
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), close_bot_session=False)
