"""The outbox sender: delivers queued items to Telegram in order per chat, within Telegram's limits.

Crash safety: an item is claimed ('sending', committed) before Telegram is called and marked 'sent' right
after, so a kill -9 can leave at most that one item in doubt; the next holder of the lease sends it again.
Only the lease holder sends (bot/delivery/lease.py). Logs carry ids and counts, never message texts.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
from bot.delivery.lease import RENEW_EVERY, hold_lease, release_lease
from bot.delivery.payloads import PayloadError, send_item
from bot.delivery.ratelimit import SendThrottle
from storage import outbox
from storage import users as users_repo
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # the loop looks for due items this often even when nobody calls wake()
BATCH = 100
RETRY_BASE = timedelta(seconds=5)  # 5 s, 10 s, 20 s, ... after failed attempts 1, 2, 3, ...
RETRY_CAP = timedelta(minutes=15)
RETRY_JITTER = 0.25  # up to +25 % so that many retries do not hit Telegram at the same moment
OUTAGE_PAUSE_CAP = timedelta(seconds=30)  # after a 5xx or network error nothing is sent for min(backoff, this)
SHUTDOWN_GRACE_SECONDS = 10.0  # at shutdown the message in flight may finish (not sent twice after a restart)
# Telegram answers that will not change on a retry: the item fails at once
_PERMANENT = (PayloadError, TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge, TelegramMigrateToChat)

Sleep = Callable[[float], Awaitable[None]]


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # rescheduled; the bot also pauses (429, or Telegram unreachable)
    HELD = "held"  # the user blocked the bot
    FAILED = "failed"
    SKIPPED = "skipped"  # changed under our feet (e.g. the user erased their data)


@dataclass
class DeliveryState:
    throttle: SendThrottle
    sleep: Sleep = asyncio.sleep  # tests inject one that moves their ManualClock
    rng: random.Random = field(default_factory=random.Random)
    wake_event: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    recovered_term: int = 0
    stopping: bool = False


async def deliver_due(ctx: AppContext, *, limit: int | None = None) -> int:
    """Send every item due now (at most `limit` attempts); returns how many were sent.

    Between two messages to one chat it waits through `ctx.delivery.sleep` (tests: advance the
    ManualClock there). Returns early while the bot is paused (429, outage); does nothing unless this
    instance holds the lease."""
    state = ctx.delivery
    async with state.lock:
        if not await hold_lease(ctx):
            return 0
        await _prepare(ctx, state)
        return await _deliver(ctx, state, limit)


async def _prepare(ctx: AppContext, state: DeliveryState) -> None:
    term = ctx.lease.term
    if state.recovered_term != term:  # this instance just became the sender
        state.recovered_term = term
        if requeued := await outbox.requeue_in_flight(ctx.database):
            log.warning("%d outbox item(s) were in flight when the previous sender stopped: sending again", requeued)
        counts = await outbox.status_counts(ctx.database)
        log.info(
            "outbox: %d pending, %d blocked, %d failed",
            counts.get("pending", 0),
            counts.get("blocked", 0),
            counts.get("failed", 0),
        )
    await outbox.hold_inactive_chats(ctx.database)
    if released := await outbox.release_reachable_chats(ctx.database):
        log.info("%d held outbox item(s) queued again: their users wrote to the bot", released)


async def _deliver(ctx: AppContext, state: DeliveryState, limit: int | None) -> int:
    horizon = ctx.clock.now()  # retries scheduled during this pass wait for the next one
    sent = handled = 0
    skipped: set[int] = set()  # changed under our feet: never spin on them
    while not state.stopping and (limit is None or handled < limit):
        if state.throttle.is_paused(ctx.clock.now()):
            break
        waiting = await outbox.due_heads(ctx.database, horizon, BATCH)
        if not waiting or all(item.id in skipped for item in waiting):
            break
        while waiting and not state.stopping and (limit is None or handled < limit):
            now = ctx.clock.now()
            if state.throttle.is_paused(now):
                return sent
            item = min(waiting, key=lambda i: (state.throttle.ready_at(i.chat_id, now), i.next_attempt_at, i.id))
            delay = (state.throttle.ready_at(item.chat_id, now) - now).total_seconds()
            if delay > 0:
                await state.sleep(delay)
                if ctx.clock.now() <= now:  # a clock that does not move: try again on the next pass
                    return sent
                continue
            waiting.remove(item)
            if not await hold_lease(ctx):
                return sent
            outcome = await _send_one(ctx, state, item)
            handled += 1
            if outcome is Outcome.SENT:
                sent += 1
            elif outcome is Outcome.SKIPPED:
                skipped.add(item.id)
    return sent


async def _send_one(ctx: AppContext, state: DeliveryState, item: OutboxItem) -> Outcome:
    bot = ctx.bot
    if bot is None:
        raise RuntimeError("the outbox sender runs only while the bot is started")
    now = ctx.clock.now()
    if not await outbox.claim(ctx.database, item.id, now):
        return Outcome.SKIPPED
    state.throttle.record(item.chat_id, now)
    try:
        message_id = await send_item(bot, item, ctx.settings.data_dir)
    except TelegramRetryAfter as error:
        return await _flood_control(ctx, state, item, error.retry_after)
    except TelegramForbiddenError as error:
        return await _hold(ctx, item, _describe(error))
    except _PERMANENT as error:
        return await _fail(ctx, item, _describe(error), attempts=item.attempts + 1)
    except (TelegramAPIError, ClientDecodeError) as error:  # 5xx, network, a garbled answer: may pass
        return await _retry(ctx, state, item, _describe(error))
    except Exception as error:  # a payload aiogram cannot build; retrying would not help
        return await _fail(ctx, item, type(error).__name__, attempts=item.attempts + 1)
    await outbox.mark_sent(ctx.database, item.id, message_id, ctx.clock.now())
    return Outcome.SENT


async def _flood_control(ctx: AppContext, state: DeliveryState, item: OutboxItem, retry_after: int) -> Outcome:
    until = _whole_second_after(ctx.clock.now() + timedelta(seconds=max(retry_after, 1)))
    state.throttle.pause(until)
    await outbox.retry_later(ctx.database, item.id, until, f"429 retry after {retry_after} s", refund_attempt=True)
    log.warning("Telegram flood control: all sending paused for %d s (outbox item %d is retried)", retry_after, item.id)
    return Outcome.RETRY


async def _retry(ctx: AppContext, state: DeliveryState, item: OutboxItem, error: str) -> Outcome:
    attempts = item.attempts + 1
    if attempts >= ctx.settings.max_send_attempts:
        return await _fail(ctx, item, error, attempts=attempts)
    now = ctx.clock.now()
    backoff = retry_delay(attempts, state.rng)
    await outbox.retry_later(ctx.database, item.id, _whole_second_after(now + backoff), error)
    state.throttle.pause(_whole_second_after(now + min(backoff, OUTAGE_PAUSE_CAP)))
    log.warning(
        "outbox item %d to chat %d: %s (attempt %d of %d), retrying in %d s",
        item.id,
        item.chat_id,
        error,
        attempts,
        ctx.settings.max_send_attempts,
        backoff.total_seconds(),
    )
    return Outcome.RETRY


def _whole_second_after(moment: datetime) -> datetime:
    """Rounded up: the outbox stores whole seconds, and a retry must never come early."""
    return moment if not moment.microsecond else moment.replace(microsecond=0) + timedelta(seconds=1)


def retry_delay(attempts: int, rng: random.Random) -> timedelta:
    """Exponential backoff after `attempts` failed attempts, capped, plus a bounded random jitter."""
    base = min(RETRY_BASE * 2 ** (attempts - 1), RETRY_CAP)
    return base * (1 + rng.uniform(0, RETRY_JITTER))


async def _hold(ctx: AppContext, item: OutboxItem, error: str) -> Outcome:
    async with ctx.database.transaction():
        if await users_repo.get_user(ctx.database, item.chat_id) is None:  # a group, or nobody who could come back
            return await _fail(ctx, item, error, attempts=item.attempts + 1)
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


# --- the long-running task -------------------------------------------------------------------


async def run_sender(ctx: AppContext) -> None:
    """Deliver continuously while this instance holds the lease; release it when cancelled at shutdown."""
    state = ctx.delivery
    state.stopping = False
    keeper = asyncio.create_task(_keep_lease(ctx), name="lease-keeper")
    try:
        while True:
            state.wake_event.clear()
            current = asyncio.ensure_future(_guarded_pass(ctx))
            try:
                await asyncio.shield(current)  # a shutdown lets the message in flight finish
            except asyncio.CancelledError:
                state.stopping = True
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(current, SHUTDOWN_GRACE_SECONDS)
                raise
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(state.wake_event.wait(), POLL_SECONDS)
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
        try:
            await release_lease(ctx)
        except Exception:
            log.exception("could not release the lease; a standby instance takes over when it expires")


async def _guarded_pass(ctx: AppContext) -> None:
    try:
        await deliver_due(ctx)
    except Exception:  # logged; the next pass tries again
        log.exception("outbox delivery pass failed")


async def _keep_lease(ctx: AppContext) -> None:
    """Renew the lease on its own schedule, so a long send never lets it lapse (and a standby checks it)."""
    while True:
        try:
            await hold_lease(ctx, force=True)
        except Exception:
            log.exception("could not renew the lease")
        await asyncio.sleep(RENEW_EVERY.total_seconds())
