"""Putting messages into the outbox; call inside the transaction that records their cause."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.context import AppContext
from bot.delivery import lease
from bot.delivery.split import split_message
from storage import outbox
from storage.preferences import Preferences


def wake(ctx: AppContext) -> None:
    """Call after committing new outbox items: the sender looks at once instead of at its next poll."""
    ctx.delivery.wake_event.set()


async def queue_message(
    ctx: AppContext,
    user_id: int,
    prefs: Preferences,
    *,
    kind: str,
    text: str,
    dedupe_key: str,
    now: datetime,
) -> int:
    """Queue `text` (split if longer than Telegram allows); returns how many items were new.

    Call inside the transaction that records the alert's cause as handled.
    """
    assert ctx.db is not None
    not_before = prefs.deliver_after(now, ctx.settings.tz)
    parts = split_message(text)
    queued = 0
    for index, part in enumerate(parts):
        payload: dict[str, Any] = {"text": part}
        key = dedupe_key if index == 0 else f"{dedupe_key}#{index}"
        item = await outbox.enqueue(
            ctx.db,
            chat_id=user_id,
            method="send_message",
            payload=payload,
            kind=kind,
            now=now,
            not_before=not_before,
            dedupe_key=key,
        )
        queued += item is not None
    return queued


async def queue_as_lease_holder(ctx: AppContext, queue: Callable[[AppContext, datetime], Awaitable[int]]) -> int:
    """Run a job that queues messages, only on the instance holding the lease; wake the sender after."""
    if not await lease.hold_lease(ctx):
        return 0
    queued = await queue(ctx, ctx.clock.now())
    if queued:
        wake(ctx)
    return queued
