"""Hand one alert to one user: into the outbox (deferred past quiet hours) or into the daily summary."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.alerts import lease, sender
from bot.alerts.messages import Translator, split_message
from bot.alerts.subscribers import Recipient
from bot.context import AppContext
from storage import alerts as alerts_repo
from storage import outbox
from storage.preferences import Preferences


def content_hash(*parts: object) -> str:
    """A short stable hash of what an alert is about (for outbox dedupe keys)."""
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


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


async def notify(
    ctx: AppContext,
    recipient: Recipient,
    *,
    kind: str,
    notice: dict[str, Any],
    render: Callable[[Translator], str],
    dedupe_key: str,
    now: datetime,
) -> int:
    """An alert now, or kept for the daily summary in digest mode; returns outbox items queued."""
    assert ctx.db is not None
    if recipient.prefs.digest_mode:
        await alerts_repo.add_digest_item(
            ctx.db, recipient.user_id, kind, {**notice, "for_student": recipient.is_student}, now
        )
        return 0
    text = render(Translator(ctx.i18n, recipient.locale))
    return await queue_message(
        ctx, recipient.user_id, recipient.prefs, kind=kind, text=text, dedupe_key=dedupe_key, now=now
    )


async def queue_as_lease_holder(ctx: AppContext, queue: Callable[[AppContext, datetime], Awaitable[int]]) -> int:
    """Run a job that queues messages, only on the instance holding the lease; wake the sender after."""
    if not await lease.hold_lease(ctx):
        return 0
    queued = await queue(ctx, ctx.clock.now())
    if queued:
        sender.wake(ctx)
    return queued
