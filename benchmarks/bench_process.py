"""The real `ediary-bot run` process against the fake Bot API (tests/harness): how fast it starts, and how it
answers 200 users pressing buttons at once.

    python -m benchmarks.bench_process [--quick] [--users N] [--seconds S]

Start-up: from the process's start to its first getUpdates, with a data folder a previous start left (the
database and the demo school exist), beside a bare aiogram bot (benchmarks/bare_bot.py) doing the same; the
median of three starts each. Presses: a generated school whose parents of 200 children each have an account;
every user opens /today and then presses the buttons of that message, one after another, for 30 s (the next
press when the last one was answered). Figures: the time from a press reaching the fake Bot API to the bot's
answerCallbackQuery (p50, p99), presses answered, and the bot process's CPU per press (from /proc) beside the
same button's CPU per update in-process (benchmarks/bench_updates.py). The same load then runs against a bare
aiogram process (benchmarks/bare_bot.py: a message with one button, a press edits it): what Telegram's HTTP
round trips and JSON cost any bot per press.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a script

from benchmarks.figures import Figure, percentile
from benchmarks.school import link_accounts, school_copy
from bot.clock import SystemClock
from bot.config import load_settings
from bot.ediary.demo.directory import load_directory
from bot.ediary.demo.schema import connect
from bot.ediary.model import Role
from storage.db import Database
from tests.e2e import TOKEN, bot_env, running_bot
from tests.harness import ChatSide, FakeTelegram
from tests.harness import updates as u

SECTION = "process"
STARTS = 3
CLASSES, PER_CLASS = 8, 25  # 200 children, a parent account for each
FIRST_ACCOUNT = 7_000_000


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start_time(command: list[str], env: dict[str, str], tg: FakeTelegram, cwd: Path) -> float:
    """Seconds from starting `command` to its first getUpdates; the process is then stopped."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        ready = asyncio.ensure_future(tg.polling.wait())
        exited = asyncio.ensure_future(process.wait())
        done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            raise RuntimeError(f"{command[-1]} exited with {process.returncode} before polling")
        elapsed = time.perf_counter() - started
        exited.cancel()
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
    return elapsed


async def startup_figures(quick: bool) -> list[Figure]:
    starts = 1 if quick else STARTS
    ours: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        async with FakeTelegram() as tg, running_bot(tmp, tg):
            pass  # the first start makes the data folder: the database (migrated) and the demo school
        for _ in range(starts):
            async with FakeTelegram() as tg:
                env = bot_env(tmp, tg)
                ours.append(await start_time([sys.executable, "-m", "bot", "run"], env, tg, tmp))
            async with FakeTelegram() as tg:
                env = bot_env(tmp, tg)
                root = Path(__file__).resolve().parent.parent
                bare.append(await start_time([sys.executable, "-m", "benchmarks.bare_bot"], env, tg, root))
    return [
        Figure(SECTION, "start to first getUpdates, existing data folder", statistics.median(ours), "s",
               statistics.median(bare), "bare aiogram", "≤ 1.2x bare"),
    ]  # fmt: skip


class Presser(ChatSide):
    """A user whose updates go into the fake's getUpdates queue (no listener of its own: one for all)."""

    def __init__(self, tg: FakeTelegram, user_id: int) -> None:
        super().__init__(tg.core, user_id)
        self.tg = tg

    async def _deliver(self, update: dict[str, Any]) -> None:
        self.tg.enqueue(update)


@dataclass
class PressLoad:
    """Users each opening a screen with /today, then pressing its buttons one after another until `until`."""

    tg: FakeTelegram
    until: float
    latencies: list[float] = field(default_factory=list)
    answered: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    first_message: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tg.core.listeners.append(self.listen)

    def listen(self, event: str, payload: dict[str, Any]) -> None:
        if event == "answer" and (waiter := self.answered.get(payload["callback_query_id"])) and not waiter.done():
            waiter.set_result(None)
        elif event == "sent" and payload.get("reply_markup", {}).get("inline_keyboard"):
            found = self.first_message.get(payload["chat"]["id"])
            if found is not None and not found.done():
                found.set_result(payload)

    async def press(self, user_id: int) -> None:
        loop = asyncio.get_running_loop()
        user = Presser(self.tg, user_id)
        self.first_message[user.chat_id] = loop.create_future()
        await user.send("/today")
        shown = await self.first_message[user.chat_id]
        key = (shown["chat"]["id"], shown["message_id"])
        n = user_id
        while loop.time() < self.until:
            current = self.tg.core.messages[key]
            buttons = [b for row in current["reply_markup"]["inline_keyboard"] for b in row if "callback_data" in b]
            callback = u.callback_dict(user.user, current, buttons[n % len(buttons)]["callback_data"])
            n += 1
            self.answered[callback["id"]] = waiter = loop.create_future()
            clicked = loop.time()
            await user._deliver({"update_id": self.tg.core.next_update_id(), "callback_query": callback})
            await waiter  # the listener finds it in `answered` when the bot answers
            del self.answered[callback["id"]]
            self.latencies.append(loop.time() - clicked)

    async def run(self, user_ids: list[int], pid: int) -> float:
        """Presses until `until`; returns the process's CPU milliseconds per press."""
        cpu_before = cpu_seconds(pid)
        await asyncio.gather(*(self.press(user_id) for user_id in user_ids))
        cpu = cpu_seconds(pid) - cpu_before
        return cpu / len(self.latencies) * 1000 if self.latencies else 0.0


async def press_figures(quick: bool, users: int, seconds: float, in_process_cpu_ms: float) -> list[Figure]:
    clock = SystemClock("Europe/Moscow")
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        await school_copy(CLASSES, PER_CLASS, clock.today(), tmp / "demo.sqlite3")
        conn = await connect(tmp / "demo.sqlite3")
        directory = await load_directory(conn)
        await conn.close()
        parents = [pid for pid, kids in directory.children.items() if len(kids) == 1][:users]
        settings = load_settings(_env_file=None, bot_token=TOKEN, database_path=tmp / "bot.sqlite3")
        db = await Database.open(settings.database_path)
        linked = [(FIRST_ACCOUNT + n, pid, Role.PARENT.value) for n, pid in enumerate(parents)]
        await link_accounts(db, linked, clock.now())
        await db.close()
        user_ids = [user_id for user_id, _, _ in linked]
        async with FakeTelegram() as tg, running_bot(tmp, tg, log_level="WARNING") as bot:
            ours = PressLoad(tg, loop.time() + seconds)
            per_press = await ours.run(user_ids, bot.process.pid)
        async with FakeTelegram() as tg:
            root = Path(__file__).resolve().parent.parent
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "benchmarks.bare_bot", env=bot_env(tmp, tg), cwd=root,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            try:
                await tg.polling.wait()
                bare = PressLoad(tg, loop.time() + seconds)
                bare_per_press = await bare.run(user_ids, process.pid)
            finally:
                process.terminate()
                await process.wait()
    label = "bare aiogram process"
    return [
        Figure(SECTION, f"{len(linked)} users pressing buttons {seconds:.0f} s: presses answered",
               len(ours.latencies), "", len(bare.latencies), label),
        Figure(SECTION, "button answer p50", percentile(ours.latencies, 0.5), "s",
               percentile(bare.latencies, 0.5), label),
        Figure(SECTION, "button answer p99", percentile(ours.latencies, 0.99), "s",
               percentile(bare.latencies, 0.99), label, "< 1 s"),
        Figure(SECTION, "bot CPU per press", per_press, "ms", in_process_cpu_ms, "in-process, same button",
               "≤ 3x in-process"),
        Figure(SECTION, "bot CPU per press, beside a bare aiogram process", per_press, "ms", bare_per_press, label),
    ]  # fmt: skip


async def in_process_button_cpu(quick: bool) -> float:
    from benchmarks import bench_updates

    figures = await bench_updates.run(quick=True, count=300 if quick else 1000)
    return next(f.value for f in figures if f.what == "timetable button: CPU per update")


async def run(quick: bool = False, users: int | None = None, seconds: float | None = None) -> list[Figure]:
    users = users or (20 if quick else 200)
    seconds = seconds or (3.0 if quick else 30.0)
    figures = await startup_figures(quick)
    in_process = await in_process_button_cpu(quick)
    figures += await press_figures(quick, users, seconds, in_process)
    return figures


def main(argv: list[str] | None = None) -> None:
    from benchmarks.figures import table

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one start each, 20 users for 3 s (a CI smoke)")
    parser.add_argument("--users", type=int, help="users pressing buttons (default 200)")
    parser.add_argument("--seconds", type=float, help="how long they press (default 30)")
    args = parser.parse_args(argv)
    print(table(asyncio.run(run(args.quick, args.users, args.seconds))))


if __name__ == "__main__":
    main()
