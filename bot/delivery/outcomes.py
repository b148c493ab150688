"""What Telegram's answer to one outbox item means for that item, its chat and the rest of the queue.

Sent: recorded. 429: the item waits out retry_after, uncounted; its chat waits, or every chat when
Telegram limits the whole bot (ratelimit.py decides). 5xx, network errors, timeouts: the item backs off
(5 s, 10 s, 20 s ... at most 15 min, plus jitter) and holds its chat; errors for several chats pause the
bot. 403: the chat is held until its user writes again. 400 and bad payloads: the item fails at once.
Logs carry ids, counts and Telegram's short reason, never message texts.
"""

from __future__ import annotations

import enum
import logging
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
)

from bot.context import AppContext
from bot.delivery.payloads import PayloadError
from storage import outbox
from storage import users as users_repo
from storage.outbox import OutboxItem

if TYPE_CHECKING:
    from bot.delivery.sender import DeliveryState

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=5)  # 5 s, 10 s, 20 s, ... after failed attempts 1, 2, 3, ...
RETRY_CAP = timedelta(minutes=15)
RETRY_JITTER = 0.25  # up to +25 % so that many retries do not hit Telegram at the same moment
OUTAGE_PAUSE_CAP = timedelta(seconds=30)  # when Telegram seems down nothing is sent for min(backoff, this)
# Telegram answers that will not change on a retry: the item fails at once
_PERMANENT = (PayloadError, TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge, TelegramMigrateToChat)


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # rescheduled (429, a server or network error)
    HELD = "held"  # the user blocked the bot
    FAILED = "failed"


@dataclass(frozen=True)
class Answer:
    """Telegram's answer to one request and when it came (a chat's next message is spaced from it)."""

    at: datetime
    message_id: int | None = None
    error: Exception | None = None


async def settle(ctx: AppContext, state: DeliveryState, item: OutboxItem, answer: Answer) -> Outcome:
    """Record the answer for an item that was in flight."""
    state.throttle.answered(item.chat_id, answer.at)
    error = answer.error
    if error is None:
        state.throttle.succeeded()
        assert answer.message_id is not None  # an answer without an error carries the message
        await outbox.mark_sent(ctx.database, item.id, answer.message_id, answer.at)
        ctx.metrics.sent(item.kind)
        return Outcome.SENT
    if isinstance(error, TelegramRetryAfter):
        state.throttle.succeeded()
        return await _flood_control(ctx, state, item, answer.at, error.retry_after)
    if isinstance(error, TelegramForbiddenError):
        state.throttle.succeeded()
        return await _hold(ctx, item, _describe(error))
    if isinstance(error, _PERMANENT):
        if not isinstance(error, PayloadError):
            state.throttle.succeeded()
        return await _fail(ctx, item, _describe(error), attempts=item.attempts)
    if isinstance(error, TelegramAPIError | ClientDecodeError):  # 5xx, network, timeout, a garbled answer
        return await _retry(ctx, state, item, answer.at, _describe(error))
    return await _fail(ctx, item, type(error).__name__, attempts=item.attempts)  # a payload aiogram cannot build


async def _flood_control(
    ctx: AppContext, state: DeliveryState, item: OutboxItem, at: datetime, retry_after: int
) -> Outcome:
    wait = timedelta(seconds=max(retry_after, 1))
    until = whole_second_after(at + wait)
    await outbox.retry_later(ctx.database, item.id, until, f"429 retry after {retry_after} s", refund_attempt=True)
    if state.throttle.flood(item.chat_id, at, wait):
        state.throttle.pause(until)
        log.warning(
            "Telegram flood control: all sending paused for %d s (outbox item %d is retried)", retry_after, item.id
        )
    else:
        state.throttle.hold_chat(item.chat_id, until)
        log.warning(
            "Telegram flood control for chat %d: its messages wait %d s (outbox item %d is retried)",
            item.chat_id,
            retry_after,
            item.id,
        )
    return Outcome.RETRY


async def _retry(ctx: AppContext, state: DeliveryState, item: OutboxItem, at: datetime, error: str) -> Outcome:
    attempts = item.attempts  # the claim counted this one
    if attempts >= ctx.settings.max_send_attempts:
        return await _fail(ctx, item, error, attempts=attempts)
    backoff = retry_delay(attempts, state.rng)
    until = whole_second_after(at + backoff)
    await outbox.retry_later(ctx.database, item.id, until, error)
    state.throttle.hold_chat(item.chat_id, until)
    log.warning(
        "outbox item %d to chat %d: %s (attempt %d of %d), retrying in %d s",
        item.id,
        item.chat_id,
        error,
        attempts,
        ctx.settings.max_send_attempts,
        backoff.total_seconds(),
    )
    if state.throttle.failed(item.chat_id, at):
        pause = min(backoff, OUTAGE_PAUSE_CAP)
        state.throttle.pause(whole_second_after(at + pause))
        log.warning("Telegram failed for several chats: all sending paused for %d s", pause.total_seconds())
    return Outcome.RETRY


def whole_second_after(moment: datetime) -> datetime:
    """Rounded up: the outbox stores whole seconds, and a retry must never come early."""
    return moment if not moment.microsecond else moment.replace(microsecond=0) + timedelta(seconds=1)


def retry_delay(attempts: int, rng: random.Random) -> timedelta:
    """Exponential backoff after `attempts` failed attempts, capped, plus a bounded random jitter."""
    base = min(RETRY_BASE * 2 ** (attempts - 1), RETRY_CAP)
    return base * (1 + rng.uniform(0, RETRY_JITTER))


async def _hold(ctx: AppContext, item: OutboxItem, error: str) -> Outcome:
    async with ctx.database.transaction():
        if await users_repo.get_user(ctx.database, item.chat_id) is None:  # a group, or nobody who could come back
            return await _fail(ctx, item, error, attempts=item.attempts)
        await users_repo.set_active(ctx.database, item.chat_id, False)
        held = await outbox.hold_chat(ctx.database, item.id, item.chat_id, error)
    log.warning(
        "chat %d blocked the bot or was deactivated: %d outbox item(s) held until the user writes again",
        item.chat_id,
        held,
    )
    return Outcome.HELD


async def _fail(ctx: AppContext, item: OutboxItem, error: str, *, attempts: int) -> Outcome:
    await outbox.mark_failed(ctx.database, item.id, error)
    log.warning(
        "outbox item %d (%s) to chat %d failed after %d attempt(s): %s",
        item.id,
        item.kind,
        item.chat_id,
        attempts,
        error,
    )
    return Outcome.FAILED


_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def _describe(error: Exception) -> str:
    """What failed, for the log and the row: the exception class and Telegram's short reason, no content."""
    if isinstance(error, PayloadError):
        return f"invalid payload: {error}"
    reason = _TOKEN.sub("<token>", str(getattr(error, "message", "")))  # network errors may quote the URL
    return f"{type(error).__name__}: {reason}"[:200] if reason else type(error).__name__
