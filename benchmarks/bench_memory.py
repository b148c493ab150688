"""Resident memory of the bot with 100,000 linked accounts, beside a bare aiogram process, in the same run.

    python -m benchmarks.bench_memory [--quick] [--users N]

Each side runs in a fresh process of its own. The bot's: the app started on a generated demo school big
enough for N accounts (every student and parent linked, one account each), one poll (the silent baseline of
every class, after which the poller keeps the followers), and a /start from 1,000 of the accounts through the
Dispatcher. The bare one: aiogram's Dispatcher with one handler answering the same 1,000 updates. Figures are
the processes' resident set (VmRSS) at the end and its peak (VmHWM), from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a script

from benchmarks.figures import Figure

SECTION = "memory"
NOW = datetime(2026, 11, 25, 16, 0)
PER_CLASS = 25
ACCOUNTS_PER_STUDENT = 2.7  # the student and 1.7 parents on average (bot/ediary/demo/sized.py)
UPDATES = 1000


def memory_now() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


async def bot_side(demo: Path, users: int) -> dict[str, float]:
    from aiogram import Bot
    from aiogram.types import Update

    from benchmarks.bench_updates import InstantSession, message_json
    from benchmarks.school import accounts, link_accounts
    from bot.alerts import poller
    from bot.app import create_dispatcher, shutdown, startup
    from bot.clock import ManualClock
    from bot.config import load_settings
    from bot.ediary.demo import DemoProvider

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            _env_file=None, bot_token="42:BENCH", database_path=Path(tmp) / "bot.sqlite3", demo_database_path=demo
        )
        clock = ManualClock(NOW)
        provider = await DemoProvider.open(demo, clock)
        bot = Bot("42:BENCH", session=InstantSession())
        dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
        await startup(dp, bot)
        ctx = dp["ctx"]
        linked = accounts(provider.directory)[:users]
        await link_accounts(ctx.database, linked, clock.now())
        await poller.poll(ctx)
        for n, (user_id, _, _) in enumerate(linked[:: max(1, len(linked) // UPDATES)][:UPDATES]):
            await dp.feed_update(bot, Update.model_validate(message_json(n, user_id, "/start"), context={"bot": bot}))
        figures = {**memory_now(), "accounts": len(linked)}
        await shutdown(dp, bot)
        await bot.session.close()
    return figures


async def bare_side() -> dict[str, float]:
    from aiogram import Bot, Dispatcher, Router
    from aiogram.types import Message, Update

    from benchmarks.bench_updates import InstantSession, message_json

    router = Router()

    @router.message()
    async def answer(message: Message) -> None:
        await message.answer("ok")

    dp = Dispatcher()
    dp.include_router(router)
    bot = Bot("42:BENCH", session=InstantSession())
    for n in range(UPDATES):
        await dp.feed_update(bot, Update.model_validate(message_json(n, 1000 + n, "/start"), context={"bot": bot}))
    await bot.session.close()
    return memory_now()


async def child(side: str, demo: Path | None, users: int) -> dict[str, float]:
    return await (bot_side(demo, users) if side == "bot" and demo is not None else bare_side())


async def measure_in_process(side: str, demo: Path | None, users: int) -> dict[str, Any]:
    args = [sys.executable, "-m", "benchmarks.bench_memory", "--child", side, "--users", str(users)]
    if demo is not None:
        args += ["--demo", str(demo)]
    process = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the {side} side of the memory benchmark failed ({process.returncode})")
    return json.loads(out.decode().strip().splitlines()[-1])


async def run(quick: bool = False, users: int | None = None) -> list[Figure]:
    from benchmarks.school import school_copy

    users = users or (1000 if quick else 100_000)
    classes = math.ceil(users / ACCOUNTS_PER_STUDENT / PER_CLASS)
    with tempfile.TemporaryDirectory() as tmp:
        demo = await school_copy(classes, PER_CLASS, NOW.date(), Path(tmp) / "demo.sqlite3")
        bare = await measure_in_process("bare", None, users)
        ours = await measure_in_process("bot", demo, users)
    label = "bare aiogram"
    return [
        Figure(SECTION, f"resident memory, {ours['accounts']:,} linked accounts", ours["VmRSS"], "MB",
               bare["VmRSS"], label, "< 300 MB"),
        Figure(SECTION, f"peak resident memory, {ours['accounts']:,} linked accounts", ours["VmHWM"], "MB",
               bare["VmHWM"], label),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    from benchmarks.figures import table

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 accounts (a CI smoke)")
    parser.add_argument("--users", type=int, help="linked accounts (default 100,000)")
    parser.add_argument("--child", choices=("bot", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--demo", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.users is not None and args.users < 1:
        parser.error("--users must be a positive number")
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.demo, args.users or 0))))
        return
    print(table(asyncio.run(run(args.quick, args.users))))


if __name__ == "__main__":
    main()
