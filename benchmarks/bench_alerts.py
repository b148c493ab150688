"""The alert pipeline: e-diary polls and outbox delivery, next to bare aiogram sending the same messages.

    python benchmarks/bench_alerts.py [--polls 20]

Every student and parent of the demo school is linked. Delivery waits through the rate limiter in
virtual time (a manual clock), so the figures show the cost of our bookkeeping (claim, mark sent, per
chat order) per message against a bare `bot.send_message` loop on the same instant Bot API session.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from aiogram import Bot
from bench_updates import NOW, InstantSession

from bot.alerts import poller
from bot.app import create_dispatcher, shutdown, startup
from bot.clock import ManualClock
from bot.config import load_settings
from bot.delivery.sender import deliver_due
from bot.ediary.demo import DemoProvider
from bot.ediary.model import Role
from storage import links, outbox, preferences, users


async def link_everyone(ctx) -> int:
    linked = 0
    for role in (Role.STUDENT, Role.PARENT):
        for number, person in enumerate(await ctx.provider.list_people(role=role)):
            user_id = (1 if role == Role.STUDENT else 2) * 100_000 + number
            await users.touch_user(ctx.db, user_id, "ru", ctx.clock.now())
            await links.add_link(ctx.db, user_id, person.id, role.value, ctx.clock.now())
            await preferences.update_preferences(ctx.db, user_id, digest_mode=False)
            linked += 1
    return linked


async def main(polls: int) -> None:
    bot = Bot("42:BENCH", session=InstantSession())
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            _env_file=None,
            bot_token="42:BENCH",
            database_path=Path(tmp) / "bot.sqlite3",
            demo_database_path=Path(tmp) / "demo.sqlite3",
        )
        clock = ManualClock(datetime(2026, 11, 24, 16, 0))  # a Tuesday afternoon: no quiet hours
        provider = await DemoProvider.open(settings.demo_database_path, clock)
        dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
        await startup(dp, bot)
        ctx = dp["ctx"]
        linked = await link_everyone(ctx)
        classes = len(await provider.list_classes())

        started = time.perf_counter()
        await poller.poll(ctx)
        baseline_ms = (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        for _ in range(polls):
            clock.advance(minutes=5)
            await poller.poll(ctx)
        quiet_ms = (time.perf_counter() - started) * 1000 / polls

        clock.set(NOW.replace(hour=16))  # the next school day: the demo school enters its grades
        started = time.perf_counter()
        await poller.poll(ctx)
        busy_ms = (time.perf_counter() - started) * 1000
        queued = len(await ctx.db.fetchall("SELECT id FROM outbox WHERE status = 'pending'"))

        async def virtual_sleep(seconds: float) -> None:
            clock.advance(timedelta(seconds=seconds))

        ctx.delivery.sleep = virtual_sleep
        started = time.perf_counter()
        sent = await deliver_due(ctx)
        ours = sent / (time.perf_counter() - started) if sent else 0.0

        items = [item for item in await ctx.db.fetchall("SELECT chat_id, payload FROM outbox")]
        started = time.perf_counter()
        for row in items:
            await bot.send_message(row["chat_id"], "x")
        bare = len(items) / (time.perf_counter() - started) if items else 0.0
        await outbox.status_counts(ctx.db)
        await shutdown(dp, bot)
    await bot.session.close()

    print(f"demo school: {classes} classes, {linked} linked accounts")
    print(f"first poll (silent baseline of every class): {baseline_ms:8.1f} ms")
    print(f"poll without changes (mean of {polls}):        {quiet_ms:8.1f} ms  ({quiet_ms / classes:.1f} ms a class)")
    print(f"poll after a school day of new grades:        {busy_ms:8.1f} ms  ({queued} alert(s) queued)")
    print(f"{'delivery':42} {'messages/s':>10} {'vs bare aiogram':>16}")
    print(f"{'bare aiogram bot.send_message loop':42} {bare:10.0f} {1.0:15.2f}x")
    print(f"{'outbox deliver_due (virtual-time limits)':42} {ours:10.0f} {(ours / bare if bare else 0):15.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=20, help="polls without changes to average (default 20)")
    args = parser.parse_args()
    if args.polls < 1:
        parser.error("--polls must be a positive number")
    asyncio.run(main(args.polls))
