"""Graceful shutdown without losing an update: once Telegram has been told an update arrived (a webhook
request answered 200, or a getUpdates offset past it), Telegram never sends it again, so its handler must
finish before the database and the e-diary close.

`TrackUpdates`, the first outer middleware, records the task handling each update (aiogram runs each update in
a task of its own in both modes); `finish_in_flight` waits for them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

log = logging.getLogger(__name__)

# Turns of the event loop given to tasks created just before the stop (a webhook answered, its handler's task
# not started yet) to reach the middleware and be counted.
_SETTLE_TURNS = 3


class TrackUpdates(BaseMiddleware):
    def __init__(self, in_flight: set[asyncio.Task[Any]]) -> None:
        self.in_flight = in_flight

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        task = asyncio.current_task()
        if task is not None and task not in self.in_flight:
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
        return await handler(event, data)


async def finish_in_flight(in_flight: set[asyncio.Task[Any]]) -> None:
    """Wait for the handlers still running (new ones may start while we wait: look again)."""
    for _ in range(_SETTLE_TURNS):
        await asyncio.sleep(0)
    current = asyncio.current_task()
    while pending := [task for task in in_flight if not task.done() and task is not current]:
        log.info("stopping: waiting for %d update(s) being handled", len(pending))
        await asyncio.wait(pending)
        for _ in range(_SETTLE_TURNS):
            await asyncio.sleep(0)
