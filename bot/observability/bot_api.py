"""Telegram's flood control (429) counted by Bot API method, for every call the bot makes: replies, edits
and the outbox sender alike (a request middleware of the Bot's session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

if TYPE_CHECKING:
    from bot.observability.metrics import Metrics


class FloodWaitCounter(BaseRequestMiddleware):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter:
            self.metrics.flood_wait(method.__api_method__)
            raise


def count_flood_waits(bot: Bot, metrics: Metrics) -> None:
    """Once per Bot and app: a restarted app on the same Bot replaces its predecessor's counter."""
    middlewares = bot.session.middleware
    for middleware in list(middlewares):
        if isinstance(middleware, FloodWaitCounter):
            middlewares.unregister(middleware)
    middlewares.register(FloodWaitCounter(metrics))
