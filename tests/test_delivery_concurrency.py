"""Many chats at once, on the real clock, through the HTTP fake Bot API enforcing Telegram's limits: no 429s
from jitter, the pace Telegram allows, and a request that hangs holds only its own chat."""

from __future__ import annotations

import asyncio
import itertools
import logging
import statistics
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.app import new_context
from bot.clock import SystemClock
from bot.context import AppContext
from bot.delivery.queue import wake
from bot.delivery.sender import deliver_due, run_sender
from bot.i18n import create_i18n
from storage import outbox
from storage.db import Database
from tests.conftest import App, make_settings
from tests.harness import FakeTelegram, eventually
from tests.harness.conditions import FloodLimits, Refusal
from tests.test_delivery import manual_sleep, queue_text, texts


@asynccontextmanager
async def running_sender(tmp_path: Path, tg: FakeTelegram) -> AsyncIterator[AppContext]:
    """The bot's sender task on the real clock, talking HTTP to the fake Bot API."""
    settings = make_settings(tmp_path)
    ctx = new_context(settings, SystemClock(settings.tz), create_i18n())
    ctx.db = await Database.open(settings.database_path)
    ctx.bot = tg.make_bot()
    sender = asyncio.create_task(run_sender(ctx))
    try:
        yield ctx
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        await ctx.bot.session.close()
        await ctx.db.close()


async def queue_rounds(ctx: AppContext, chats: range, per_chat: int) -> None:
    """Alert n of every chat before alert n + 1, as polls queue them; then wake the sender."""
    now = datetime.now(UTC)
    async with ctx.database.transaction():
        for n, chat in itertools.product(range(per_chat), chats):
            await outbox.enqueue(
                ctx.database, chat_id=chat, method="send_message", payload={"text": f"{n}"}, kind="grade", now=now
            )
    wake(ctx)


async def test_ten_chats_get_their_alerts_in_order_at_the_per_chat_limit_without_a_single_429(tmp_path: Path) -> None:
    chats, per_chat = range(2001, 2011), 6
    # Telegram counts a request when it reaches its limiter, up to 30 ms after it left: spacing measured
    # before the request (or exactly 1 s apart) runs into 429s here
    async with FakeTelegram(jitter=0.03, seed=12) as tg:
        limits = tg.core.enforce_limits()
        async with running_sender(tmp_path, tg) as ctx:
            await queue_rounds(ctx, chats, per_chat)
            await eventually(lambda: len(limits.accepted) >= len(chats) * per_chat, "every alert accepted")

    assert limits.refused == []
    for chat in chats:
        assert [m["text"] for m in tg.core.bot_messages(chat)] == [str(n) for n in range(per_chat)]
    gaps = [b - a for chat in chats for a, b in itertools.pairwise([at for at, to in limits.accepted if to == chat])]
    assert len(chats) / statistics.mean(gaps) >= 9  # msg/s that 10 chats at one a second each get


async def test_alerts_to_many_chats_go_at_25_a_second_although_each_answer_takes_100_ms(tmp_path: Path) -> None:
    chats = range(3001, 3101)
    async with FakeTelegram(latency=0.1) as tg:  # a distant Telegram: one request at a time would do 9/s
        limits = tg.core.enforce_limits()
        async with running_sender(tmp_path, tg) as ctx:
            await queue_rounds(ctx, chats, 1)
            await eventually(lambda: len(limits.accepted) >= len(chats), "every alert accepted")

    assert limits.refused == []
    moments = [at for at, _ in limits.accepted]
    assert (len(moments) - 1) / (moments[-1] - moments[0]) >= 24


async def test_a_request_that_hangs_holds_only_its_own_chat(tmp_path: Path) -> None:
    async with FakeTelegram() as tg:
        tg.core.enforce_limits()
        first, other = tg.user(1001), tg.user(1002)
        hang = tg.core.hold_next("sendMessage", chat_id=first.chat_id)
        async with running_sender(tmp_path, tg) as ctx:
            now = datetime.now(UTC)
            for chat, text in ((1001, "Математика: 5"), (1001, "Физика: 4"), (1002, "Русский язык: 4")):
                await outbox.enqueue(
                    ctx.database, chat_id=chat, method="send_message", payload={"text": text}, kind="grade", now=now
                )
            wake(ctx)

            await hang.reached.wait()
            assert (await other.wait_reply()).text == "Русский язык: 4"  # while the other request hangs
            assert first.messages == [] and not hang.abandoned  # nor did it wait for the client to give up

            hang.release()
            await first.wait_reply(predicate=lambda m: m.text == "Физика: 4")
            assert [m.text for m in first.messages] == ["Математика: 5", "Физика: 4"]  # the hang kept the order


async def test_a_request_past_its_timeout_is_retried_later_and_never_stalls_the_others(app: App, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="bot.delivery")
    app.ctx.delivery.request_timeout = 1  # a real second: the hang is given up like a network error
    hung = await queue_text(app, 1001, "Математика: 5")
    await queue_text(app, 1001, "Физика: 4")
    await queue_text(app, 1002, "Русский язык: 4")
    app.session.core.hold_next("sendMessage", chat_id=1001)
    manual_sleep(app.ctx)

    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1002) == ["Русский язык: 4"]
    item = await outbox.get_item(app.db, hung)
    assert item.status == "pending" and item.attempts == 1 and "Request timeout error" in item.last_error
    assert "all sending paused" not in caplog.text

    app.clock.set(item.next_attempt_at)
    assert await deliver_due(app.ctx) == 2
    assert texts(app, 1001) == ["Математика: 5", "Физика: 4"]


def test_the_fake_bot_api_refuses_what_telegram_would_with_the_seconds_until_it_allows_again() -> None:
    now = [1000.0]
    limits = FloodLimits(lambda: now[0])
    assert limits.admit("sendMessage", 1001) is None
    now[0] += 0.99
    assert limits.admit("copyMessage", 1001) == Refusal("chat", 1001, now[0], 1)  # 1 a second per chat
    assert limits.admit("editMessageText", 1001) is None  # edits are not limited here
    for chat in range(2001, 2030):
        assert limits.admit("sendMessage", chat) is None
    assert limits.admit("sendMessage", 3001) is not None  # the 30th in this second was the 1001 one before
    now[0] += 0.011  # the first message leaves the window
    assert limits.admit("sendMessage", 3001) is None
    assert limits.admit("sendMessage", 3002) == Refusal("overall", 3002, now[0], 1)
    group = -5001
    for minute_second in range(20):
        now[0] = 2000.0 + 2 * minute_second
        assert limits.admit("sendDocument", group) is None
    now[0] = 2045.0
    assert limits.admit("sendMessage", group) == Refusal("group", group, 2045.0, 15)  # 20 a minute per group
    assert len(limits.refused) == 4
