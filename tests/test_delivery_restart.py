"""kill -9 and restarts: nothing queued is lost, and only the messages in flight (one per chat) may arrive twice."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod

from bot.app import create_dispatcher, shutdown, startup
from bot.clock import ManualClock
from bot.config import Settings
from bot.context import AppContext
from bot.delivery.lease import LEASE_NAME, LEASE_TTL
from bot.delivery.queue import wake
from bot.delivery.sender import deliver_due, run_sender
from bot.ediary.demo import DemoProvider
from storage import leases, outbox
from tests.conftest import App
from tests.harness import MockedSession, TelegramCore, make_bot
from tests.test_delivery import manual_sleep, queue_text

CHATS = (1001, 1002, 1003)


class Killed(BaseException):
    """kill -9: the process stops dead; nothing after this point runs (no except, no cleanup)."""


class InterruptibleSession(MockedSession):
    """Telegram as seen by a bot that is about to die: `before_request(n)` runs before the n-th request."""

    def __init__(self, core: TelegramCore, before_request: Callable[[int], Any]) -> None:
        super().__init__(core)
        self.before_request = before_request
        self.count = 0

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        self.count += 1
        await self.before_request(self.count)
        return await super().make_request(bot, method, timeout)


@asynccontextmanager
async def restarted_bot(
    settings: Settings, clock: ManualClock, provider: DemoProvider, core: TelegramCore
) -> AsyncIterator[AppContext]:
    """The bot started again on the same database file (a new process would have a new lease holder id)."""
    dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
    bot = make_bot(MockedSession(core))
    await startup(dp, bot)
    try:
        yield dp["ctx"]
    finally:
        dp["ctx"].provider = None
        await shutdown(dp, bot)


async def queue_six(app: App) -> dict[int, str]:
    return {
        await queue_text(app, chat, f"Оценка {n} для {chat}"): f"Оценка {n} для {chat}"
        for n in (1, 2)
        for chat in CHATS
    }


def delivered(core: TelegramCore) -> Counter[str]:
    return Counter(m["text"] for chat in CHATS for m in core.bot_messages(chat))


async def test_a_kill_after_telegram_accepted_a_message_repeats_only_that_one(
    app: App, settings: Settings, clock: ManualClock, provider: DemoProvider, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.delivery")
    queued = await queue_six(app)
    core = app.session.core
    manual_sleep(app.ctx)

    def die_after_third_message(event: str, message: dict[str, Any]) -> None:
        if event == "sent" and len(delivered(core)) == 3:
            raise Killed  # Telegram has the message; the bot never learns it

    core.listeners.append(die_after_third_message)
    with suppress(Killed):
        await deliver_due(app.ctx)
    core.listeners.remove(die_after_third_message)
    [in_flight] = [item for item in [await outbox.get_item(app.db, i) for i in queued] if item.status == "sending"]

    async with restarted_bot(settings, clock, provider, core) as ctx:
        manual_sleep(ctx)
        assert await deliver_due(ctx) == 0  # the dead process's lease must run out first
        clock.advance(LEASE_TTL)
        assert await deliver_due(ctx) == 4

        assert "1 outbox item(s) were in flight when the previous sender stopped" in caplog.text
        counts = delivered(core)
        assert set(counts) == set(queued.values())  # nothing lost
        assert counts[queued[in_flight.id]] == 2
        assert all(n == 1 for text, n in counts.items() if text != queued[in_flight.id])
        assert {(await outbox.get_item(ctx.db, i)).status for i in queued} == {"sent"}
        for chat in CHATS:  # and each chat still got its messages in order
            texts = [m["text"] for m in core.bot_messages(chat)]
            assert texts.index(f"Оценка 1 для {chat}") < texts.index(f"Оценка 2 для {chat}")


async def test_a_kill_with_every_chat_in_flight_repeats_those_messages_only_one_each(
    app: App, settings: Settings, clock: ManualClock, provider: DemoProvider, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.delivery")
    queued = await queue_six(app)
    core = app.session.core
    holds = [core.hold_next("sendMessage", chat_id=chat) for chat in CHATS]
    manual_sleep(app.ctx)
    delivering = asyncio.create_task(deliver_due(app.ctx))
    for hold in holds:  # one request to each chat awaits Telegram's answer at the same time
        await asyncio.wait_for(hold.reached.wait(), 120)  # a guard against a hang only

    def die_before_hearing_back(event: str, message: dict[str, Any]) -> None:
        if event == "sent":
            raise Killed  # Telegram has the message; the bot never learns it

    core.listeners.append(die_before_hearing_back)
    for hold in holds:
        hold.release()
    with suppress(Killed):
        await delivering
    core.listeners.remove(die_before_hearing_back)
    in_flight = {queued[i] for i in queued if (await outbox.get_item(app.db, i)).status == "sending"}
    assert len(in_flight) == len(CHATS)

    async with restarted_bot(settings, clock, provider, core) as ctx:
        manual_sleep(ctx)
        clock.advance(LEASE_TTL)
        assert await deliver_due(ctx) == len(queued)
    assert f"{len(CHATS)} outbox item(s) were in flight when the previous sender stopped" in caplog.text
    counts = delivered(core)
    assert {text for text, n in counts.items() if n == 2} == in_flight  # those twice, nothing else
    assert set(counts) == set(queued.values()) and max(counts.values()) == 2
    for chat in CHATS:
        texts = [m["text"] for m in core.bot_messages(chat)]
        assert texts.index(f"Оценка 1 для {chat}") < texts.index(f"Оценка 2 для {chat}")


async def test_a_kill_before_telegram_answered_sends_everything_exactly_once(
    app: App, settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    queued = await queue_six(app)
    core = app.session.core

    async def die_at_fourth_request(n: int) -> None:
        if n == 4:
            raise Killed

    app.ctx.bot = make_bot(InterruptibleSession(core, die_at_fourth_request))
    manual_sleep(app.ctx)
    with suppress(Killed):
        await deliver_due(app.ctx)
    assert len(delivered(core)) == 3

    async with restarted_bot(settings, clock, provider, core) as ctx:
        manual_sleep(ctx)
        clock.advance(LEASE_TTL)
        assert await deliver_due(ctx) == 3
    assert delivered(core) == Counter(queued.values())


async def test_a_shutdown_lets_the_message_in_flight_finish_so_the_restart_sends_nothing_twice(
    app: App, settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    in_flight, answer = asyncio.Event(), asyncio.Event()

    async def slow_telegram(n: int) -> None:
        in_flight.set()
        await answer.wait()

    app.ctx.bot = make_bot(InterruptibleSession(app.session.core, slow_telegram))
    item_id = await queue_text(app, 1001, "Математика: 5")
    sender = asyncio.create_task(run_sender(app.ctx))
    wake(app.ctx)
    await asyncio.wait_for(in_flight.wait(), 120)  # a guard against a hang only

    sender.cancel()  # SIGTERM arrives while Telegram has not answered yet
    for _ in range(10):  # let the cancellation reach the sender: it cannot finish, Telegram has not answered
        await asyncio.sleep(0)
    assert not sender.done()
    answer.set()
    await asyncio.gather(sender, return_exceptions=True)

    item = await outbox.get_item(app.db, item_id)
    assert item.status == "sent" and item.sent_message_id is not None
    assert await leases.get_lease(app.db, LEASE_NAME) is None  # handed over without waiting for expiry
    async with restarted_bot(settings, clock, provider, app.session.core) as ctx:
        assert await deliver_due(ctx) == 0
    assert [m["text"] for m in app.session.core.bot_messages(1001)] == ["Математика: 5"]
