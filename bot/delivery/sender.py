"""The outbox sender: delivers queued items to many chats at once, in order per chat, within Telegram's limits.

Up to MAX_IN_FLIGHT requests are in flight together, at most one per chat, each started when ratelimit.py
allows: a request that hangs holds its own chat and one place (until the request timeout, payloads.py),
never the other chats. outcomes.py records each answer. Crash safety: an item is claimed ('sending',
committed) before Telegram is called and marked 'sent' once it answers, so a kill -9 leaves at most the
items in flight (one per chat) in doubt; the next holder of the lease sends them again. Only the lease
holder sends (lease.py). Logs carry ids and counts, never message texts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.context import AppContext
from bot.delivery.lease import RENEW_EVERY, hold_lease, release_lease
from bot.delivery.outcomes import Answer, Outcome, settle
from bot.delivery.payloads import REQUEST_TIMEOUT, send_item
from bot.delivery.ratelimit import SendThrottle
from storage import outbox
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 16  # requests awaiting Telegram's answer at once (each to a different chat)
POLL_SECONDS = 1.0  # the loop looks for due items this often even when nobody calls wake()
BATCH = 100
SHUTDOWN_GRACE_SECONDS = 10.0  # at shutdown the messages in flight may finish (not sent twice after a restart)

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class DeliveryState:
    throttle: SendThrottle
    sleep: Sleep = asyncio.sleep  # tests inject one that moves their ManualClock
    rng: random.Random = field(default_factory=random.Random)
    wake_event: asyncio.Event = field(default_factory=asyncio.Event)
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)  # set at shutdown: start nothing new
    request_timeout: int = REQUEST_TIMEOUT  # seconds; aiogram takes whole seconds
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    recovered_term: int = 0
    # chats with a request in flight, set once its answer is recorded: a user may reply to a message
    # before the sender has written down its id (the reply's lookup waits for it, settled_for below)
    landing: dict[int, asyncio.Event] = field(default_factory=dict)

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()

    async def settled_for(self, chat_id: int, timeout: float) -> bool:
        """Wait (at most `timeout` s) until this instance's request in flight to `chat_id`, if any, has its
        answer recorded; True if there was one."""
        event = self.landing.get(chat_id)
        if event is None:
            return False
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
        return True


async def deliver_due(ctx: AppContext, *, limit: int | None = None) -> int:
    """Send every item due now (at most `limit` attempts) and wait for the answers; returns how many were sent.

    Waits before a chat's next message through `ctx.delivery.sleep` (tests: advance the ManualClock there).
    Returns early while the whole bot is paused (429, outage); does nothing unless this instance holds
    the lease."""
    state = ctx.delivery
    async with state.lock:
        if not await hold_lease(ctx):
            return 0
        await _prepare(ctx, state)
        return await _Pass(ctx, state, limit).run()


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


class _Pass:
    """One delivery pass: start requests as the limits allow and settle their answers until nothing is due."""

    def __init__(self, ctx: AppContext, state: DeliveryState, limit: int | None) -> None:
        self.ctx, self.state, self.limit = ctx, state, limit
        self.flights: dict[asyncio.Task[Answer], OutboxItem] = {}
        self.skipped: set[int] = set()  # changed under our feet (e.g. the user erased their data): never spin
        self.sent = self.started = 0

    async def run(self) -> int:
        if self.ctx.bot is None:
            raise RuntimeError("the outbox sender runs only while the bot is started")
        try:
            await self._launch()
            while self.flights:  # the answers still awaited, also at shutdown
                await self._wait(None, stop=False)
                await self._settle_landed()
        finally:  # only after an error, a kill, or a shutdown past its grace: those items stay 'sending'
            for task in self.flights:
                task.cancel()
            await asyncio.gather(*self.flights, return_exceptions=True)
            for item in self.flights.values():
                self._landed(item.chat_id)
        return self.sent

    def _landed(self, chat_id: int) -> None:
        if (event := self.state.landing.pop(chat_id, None)) is not None:
            event.set()

    async def _launch(self) -> None:
        ctx, throttle = self.ctx, self.state.throttle
        heads: list[OutboxItem] = []
        stale = True
        while not self.state.stopping and (self.limit is None or self.started < self.limit):
            if await self._settle_landed() and not self._best_is_paced(heads):
                stale = True  # a chat that was waiting for its answer may have its next item due now
            now = ctx.clock.now()
            if throttle.is_paused(now):
                return
            if stale or not heads:
                busy = {item.chat_id for item in self.flights.values()}
                due = await outbox.due_heads(ctx.database, now, BATCH)
                heads = [item for item in due if item.chat_id not in busy and item.id not in self.skipped]
                stale = False
            if not heads and not self.flights:
                return
            item = min(heads, key=lambda i: (throttle.ready_at(i.chat_id, now), i.next_attempt_at, i.id), default=None)
            delay = None if item is None else (throttle.ready_at(item.chat_id, now) - now).total_seconds()
            if item is None or delay or len(self.flights) >= MAX_IN_FLIGHT:
                answered = await self._wait(delay or None, stop=True)
                if not answered and ctx.clock.now() <= now:  # a clock that does not move: next pass
                    return
                continue
            heads.remove(item)
            if not await hold_lease(ctx):
                return
            if not await outbox.claim(ctx.database, item.id, now):
                self.skipped.add(item.id)
                continue
            throttle.started(ctx.clock.now())
            claimed = replace(item, attempts=item.attempts + 1)  # as the claim counted it
            self.flights[asyncio.create_task(_request(ctx, claimed))] = claimed
            self.state.landing[claimed.chat_id] = asyncio.Event()
            self.started += 1

    def _best_is_paced(self, heads: list[OutboxItem]) -> bool:
        """The next head waits only for the overall pace: no other item could go sooner, no need to look."""
        if not heads:
            return False
        now = self.ctx.clock.now()
        slot = self.state.throttle.slot_at(now)
        return min(self.state.throttle.ready_at(item.chat_id, now) for item in heads) <= slot

    async def _wait(self, delay: float | None, *, stop: bool) -> bool:
        """Until `delay` seconds passed (None: no limit), an answer came or (with `stop`) the sender is to
        stop; True if an answer came."""
        if any(task.done() for task in self.flights):
            return True
        helpers: list[asyncio.Future[Any]] = []
        if delay is not None:
            helpers.append(asyncio.ensure_future(self.state.sleep(delay)))
        if stop:
            helpers.append(asyncio.ensure_future(self.state.stop_event.wait()))
        try:
            await asyncio.wait([*self.flights, *helpers], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for helper in helpers:
                helper.cancel()
        return any(task.done() for task in self.flights)

    async def _settle_landed(self) -> bool:
        landed = [task for task in self.flights if task.done()]
        for task in landed:
            answer = task.result()  # a kill (BaseException) in the request goes on up from here
            item = self.flights.pop(task)
            try:
                if await settle(self.ctx, self.state, item, answer) is Outcome.SENT:
                    self.sent += 1
            finally:
                self._landed(item.chat_id)
        return bool(landed)


async def _request(ctx: AppContext, item: OutboxItem) -> Answer:
    assert ctx.bot is not None  # checked when the pass began
    try:
        message_id = await send_item(ctx.bot, item, ctx.settings.data_dir, timeout=ctx.delivery.request_timeout)
    except Exception as error:  # outcomes.py decides what it means
        return Answer(ctx.clock.now(), error=error)
    return Answer(ctx.clock.now(), message_id=message_id)


# --- the long-running task -------------------------------------------------------------------


async def run_sender(ctx: AppContext) -> None:
    """Deliver continuously while this instance holds the lease; release it when cancelled at shutdown."""
    state = ctx.delivery
    state.stop_event.clear()
    keeper = asyncio.create_task(_keep_lease(ctx), name="lease-keeper")
    try:
        while True:
            state.wake_event.clear()
            current = asyncio.ensure_future(_guarded_pass(ctx))
            try:
                await asyncio.shield(current)  # a shutdown lets the messages in flight finish
            except asyncio.CancelledError:
                state.stop_event.set()
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
