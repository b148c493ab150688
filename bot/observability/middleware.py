"""The update middleware: every update's log lines carry its id, and each update is counted by type and
outcome with its handling time (outer, so a failing handler counts as an error before the error handler
answers the user)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update

from bot.observability import logcontext

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


class UpdateMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        ctx: AppContext = data["ctx"]
        update_type = event.event_type
        outcome = "error"
        started = time.perf_counter()
        with logcontext.for_update(event.update_id):
            try:
                result = await handler(event, data)
                outcome = "unhandled" if result is UNHANDLED else "handled"
                return result
            finally:
                seconds = time.perf_counter() - started
                ctx.metrics.update_handled(update_type, outcome, seconds)
                log.debug("%s update %s in %d ms", update_type, outcome, seconds * 1000)
