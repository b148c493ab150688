"""Putting messages into the outbox; call inside the transaction that records their cause."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from bot.context import AppContext
from bot.delivery import lease
from bot.delivery.split import split_message
from storage import outbox
from storage.preferences import Preferences

Call = tuple[str, dict[str, Any]]  # a Bot API method and its arguments but chat_id (bot/delivery/payloads.py)


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
    calls = [("send_message", {"text": part}) for part in split_message(text)]
    return await queue_calls(ctx, user_id, prefs, calls, kind=kind, dedupe_key=dedupe_key, now=now)


async def queue_calls(
    ctx: AppContext,
    user_id: int,
    prefs: Preferences,
    calls: Sequence[Call],
    *,
    kind: str,
    dedupe_key: str,
    now: datetime,
    ref: str | None = None,
) -> int:
    """Queue prepared Bot API calls for one chat, in this order, after its quiet hours; returns how many
    were new. The first call is deduplicated by `dedupe_key`, the next ones by `dedupe_key#1`, `#2`...
    `ref` lets the feature find the item again (e.g. when a user replies to the message it produced)."""
    not_before = prefs.deliver_after(now, ctx.settings.tz)
    queued = 0
    for index, (method, payload) in enumerate(calls):
        item = await outbox.enqueue(
            ctx.database,
            chat_id=user_id,
            method=method,
            payload=payload,
            kind=kind,
            now=now,
            not_before=not_before,
            dedupe_key=dedupe_key if index == 0 else f"{dedupe_key}#{index}",
            ref=ref,
        )
        queued += item is not None
    ctx.metrics.queued(kind, queued)
    return queued


async def queue_as_lease_holder(ctx: AppContext, queue: Callable[[AppContext, datetime], Awaitable[int]]) -> int:
    """Run a job that queues messages, only on the instance holding the lease; wake the sender after."""
    if not await lease.hold_lease(ctx):
        return 0
    queued = await queue(ctx, ctx.clock.now())
    if queued:
        wake(ctx)
    return queued
