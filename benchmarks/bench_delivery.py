"""Delivery through a fake Bot API that enforces Telegram's limits, beside a bare aiogram send loop.

    python -m benchmarks.bench_delivery [--quick] [--latency SECONDS] [--jitter SECONDS] [--json PATH]

Two scenarios: 300 alerts to 10 chats (30 each), and 3,000 alerts to 3,000 chats (--quick: 20 to 10 and
50 to 50, for a CI smoke of a few seconds; the figures then say little). The fake server (tests/harness)
lets through 30 messages a second overall, 1 a second per chat and 20 a minute per group, measured on its
own clock when a request reaches it, and answers 429 with retry_after beyond them. --latency delays every
answer (a distant Telegram); --jitter delays each request by up to that much, at random, before the
limiter sees it.

"outbox sender" is the bot's own sender (run_sender: claim, send, mark sent, order per chat, retries) on
a real clock and an SQLite outbox. "bare aiogram" sends the same messages in the same order with
`await bot.send_message(...)`, one at a time, sleeping retry_after after a 429. msg/s counts messages
Telegram accepted, from the start until the last one arrived; 429s are the limiter's refusals.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a script

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter

from bot.app import new_context
from bot.clock import SystemClock
from bot.config import load_settings
from bot.delivery.queue import wake
from bot.delivery.sender import run_sender
from bot.i18n import create_i18n
from storage import outbox
from storage.db import Database
from tests.harness import FakeTelegram

GUARD_SECONDS = 900.0  # only a hung run takes this long


@dataclass(frozen=True)
class Scenario:
    name: str
    chats: int
    per_chat: int

    def messages(self) -> list[tuple[int, str]]:
        """Round after round, as polls queue them: the n-th alert of every chat before the (n+1)-th."""
        rounds = range(self.per_chat)
        return [(1_000_000 + chat, f"alert {n} to chat {chat}") for n in rounds for chat in range(self.chats)]


@dataclass(frozen=True)
class Result:
    scenario: str
    sender: str
    messages: int
    seconds: float
    per_second: float
    refused_429: int


Sender = Callable[[FakeTelegram, list[tuple[int, str]], Path], Coroutine[Any, Any, None]]


async def measure(scenario: Scenario, sender_name: str, sender: Sender, latency: float, jitter: float) -> Result:
    messages = scenario.messages()
    async with FakeTelegram(latency=latency, jitter=jitter) as tg:
        limits = tg.core.enforce_limits()
        everything = asyncio.Event()
        tg.core.listeners.append(lambda event, _: everything.set() if len(limits.accepted) >= len(messages) else None)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            task = asyncio.create_task(sender(tg, messages, Path(tmp)))
            try:
                await asyncio.wait_for(everything.wait(), GUARD_SECONDS)
                seconds = time.perf_counter() - started
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    delivered = [chat for _, chat in limits.accepted]
    if sorted(delivered) != sorted(chat for chat, _ in messages):
        raise AssertionError(f"{sender_name}: Telegram accepted other messages than were sent")
    return Result(scenario.name, sender_name, len(messages), seconds, len(messages) / seconds, len(limits.refused))


async def outbox_sender(tg: FakeTelegram, messages: list[tuple[int, str]], tmp: Path) -> None:
    """The bot's sender task, delivering what was queued in its outbox."""
    settings = load_settings(
        _env_file=None,
        bot_token="42:BENCH",
        database_path=tmp / "bot.sqlite3",
        demo_database_path=tmp / "demo.sqlite3",
    )
    ctx = new_context(settings, SystemClock(settings.tz), create_i18n())
    ctx.db = await Database.open(settings.database_path)
    ctx.bot = tg.make_bot("42:BENCH")
    try:
        now = datetime.now(UTC)
        async with ctx.db.transaction():
            for number, (chat_id, text) in enumerate(messages):
                await outbox.enqueue(
                    ctx.db,
                    chat_id=chat_id,
                    method="send_message",
                    payload={"text": text},
                    kind="grade",
                    now=now,
                    dedupe_key=f"bench:{number}",
                )
        wake(ctx)
        await run_sender(ctx)
    finally:
        await ctx.bot.session.close()
        await ctx.db.close()


async def bare_aiogram(tg: FakeTelegram, messages: list[tuple[int, str]], tmp: Path) -> None:
    """What a bot without an outbox does: send in order, wait out a 429 and send that message again."""
    bot: Bot = tg.make_bot("42:BENCH")
    try:
        for chat_id, text in messages:
            while True:
                try:
                    await bot.send_message(chat_id, text)
                    break
                except TelegramRetryAfter as error:
                    await asyncio.sleep(error.retry_after)
    finally:
        await bot.session.close()


SENDERS: dict[str, Sender] = {"bare aiogram": bare_aiogram, "outbox sender": outbox_sender}


def scenarios(quick: bool) -> list[Scenario]:
    if quick:
        return [Scenario("20 alerts to 10 chats", 10, 2), Scenario("50 alerts to 50 chats", 50, 1)]
    return [Scenario("300 alerts to 10 chats", 10, 30), Scenario("3,000 alerts to 3,000 chats", 3000, 1)]


async def run(quick: bool = False, latency: float = 0.0, jitter: float = 0.0) -> list[Result]:
    return [
        await measure(scenario, name, sender, latency, jitter)
        for scenario in scenarios(quick)
        for name, sender in SENDERS.items()
    ]


def table(results: list[Result], latency: float, jitter: float) -> str:
    lines = [
        f"delivery through a fake Bot API enforcing 30/s, 1/s per chat, 20/min per group "
        f"(latency {latency * 1000:.0f} ms, jitter up to {jitter * 1000:.0f} ms)",
        f"{'scenario':30} {'sender':15} {'seconds':>8} {'msg/s':>7} {'429s':>6} {'vs bare':>8}",
    ]
    bare = {r.scenario: r.per_second for r in results if r.sender == "bare aiogram"}
    for r in results:
        ratio = r.per_second / bare[r.scenario] if bare.get(r.scenario) else 0.0
        lines.append(
            f"{r.scenario:30} {r.sender:15} {r.seconds:8.1f} {r.per_second:7.1f} {r.refused_429:6d} {ratio:7.2f}x"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scenarios, a few seconds (CI smoke)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each answer takes (default 0)")
    parser.add_argument("--jitter", type=float, default=0.0, help="random delay before the limiter, up to (default 0)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.latency < 0 or args.jitter < 0:
        parser.error("--latency and --jitter cannot be negative")
    logging.basicConfig(level=logging.ERROR)  # the sender's warnings (429s, retries) would drown the table
    results = asyncio.run(run(args.quick, args.latency, args.jitter))
    print(table(results, args.latency, args.jitter))
    if args.json:
        figures: dict[str, Any] = {"latency": args.latency, "jitter": args.jitter, "results": []}
        figures["results"] = [asdict(r) for r in results]
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
