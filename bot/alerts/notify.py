"""Hand one alert to one user: into the outbox (deferred past quiet hours) or into the daily summary."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.alerts.subscribers import Recipient
from bot.context import AppContext
from bot.delivery.queue import queue_message
from bot.ui import Translator
from storage import alerts as alerts_repo


def content_hash(*parts: object) -> str:
    """A short stable hash of what an alert is about (for outbox dedupe keys)."""
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


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
    if recipient.prefs.digest_mode:
        await alerts_repo.add_digest_item(
            ctx.database, recipient.user_id, kind, {**notice, "for_student": recipient.is_student}, now
        )
        return 0
    text = render(Translator(ctx.i18n, recipient.locale))
    return await queue_message(
        ctx, recipient.user_id, recipient.prefs, kind=kind, text=text, dedupe_key=dedupe_key, now=now
    )
