"""Graceful shutdown without losing an update: once Telegram has been told an update arrived (a webhook
request answered 200, or a getUpdates offset past it), Telegram never sends it again, so its handler must
finish before the database and the e-diary close."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from typing import Any

log = logging.getLogger(__name__)


async def finish_in_flight(tasks: Collection[asyncio.Task[Any]]) -> None:
    """Wait for the handlers still running (the collection may change while we wait: re-read it)."""
    while pending := [task for task in tasks if not task.done()]:
        log.info("stopping: waiting for %d update(s) being handled", len(pending))
        await asyncio.wait(pending)
