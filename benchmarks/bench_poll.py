"""Poll cycles of a big school with every student and parent linked, beside the e-diary reads alone.

    python -m benchmarks.bench_poll [--quick] [--classes N] [--students-per-class M] [--latency S]

A generated demo school (10,000 students in 400 classes; --quick: 80 in 8) with an account for each of its
students and parents. After the first poll (the silent baseline), a poll that finds no change and one after 1%
of the students got a new grade: CPU (the process's, SQLite's thread included), wall time, SQL statements on
the bot's database and provider calls. The baseline is what the e-diary reads of the same poll cost alone
(`poller.fetch` of every class, nothing compared or stored). Then the same no-change poll against an e-diary
over HTTP whose every answer takes --latency seconds (a server in a process of its own), beside its reads
alone at the same concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a script

from aiogram import Bot

from benchmarks.bench_updates import InstantSession
from benchmarks.counters import Cost, SqlStatements, measured, provider_calls
from benchmarks.figures import Figure
from benchmarks.http_ediary import HttpEdiary
from benchmarks.school import accounts, link_accounts, school_copy
from bot.alerts import poller
from bot.alerts.subscribers import PollUnit, followed_classes, poll_units
from bot.app import create_dispatcher, shutdown, startup
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.context import AppContext
from bot.ediary.demo import DemoProvider

SECTION = "poll"
NOW = datetime(2026, 11, 25, 16, 0)  # a Wednesday after lessons, before anyone's reminder time
NEW_GRADES_SHARE = 100  # one student in this many gets a new grade


@dataclass(frozen=True)
class Size:
    classes: int
    per_class: int

    @property
    def label(self) -> str:
        return f"{self.classes * self.per_class:,} students/{self.classes} classes"


def settings_for(tmp: Path) -> Settings:
    return load_settings(
        _env_file=None,
        bot_token="42:BENCH",
        database_path=tmp / "bot.sqlite3",
        demo_database_path=tmp / "demo.sqlite3",
    )


@contextlib.asynccontextmanager
async def running(settings: Settings, clock: ManualClock, provider: Any) -> AsyncIterator[AppContext]:
    bot = Bot("42:BENCH", session=InstantSession())
    dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
    await startup(dp, bot)
    try:
        yield dp["ctx"]
    finally:
        await shutdown(dp, bot)
        await bot.session.close()


async def units_of(ctx: AppContext) -> list[PollUnit]:
    return list(poll_units(await followed_classes(ctx), class_reads=ctx.ediary.capabilities.class_reads).values())


async def reads_alone(ctx: AppContext, units: list[PollUnit], concurrency: int = 1) -> int:
    """What the poll reads from the e-diary for `units`, and nothing else; returns the units read."""
    bound = asyncio.Semaphore(concurrency)
    now = ctx.clock.now()

    async def read(unit: PollUnit) -> None:
        async with bound:
            await poller.fetch(ctx, unit, now)

    await asyncio.gather(*(read(unit) for unit in units))
    return len(units)


async def add_new_grades(provider: DemoProvider, day: date) -> int:
    """A grade for one student in NEW_GRADES_SHARE, in the first subject of their class."""
    d = provider.directory
    students = sorted(d.student_class)[::NEW_GRADES_SHARE]
    async with provider.write() as conn:
        for number, student_id in enumerate(students):
            class_id = d.student_class[student_id]
            subject_id = d.class_subject_ids(class_id)[0]
            await conn.execute(
                "INSERT INTO grades (id, student_id, class_id, subject_id, value, weight, work_type, date, source)"
                " VALUES (?, ?, ?, ?, '5', 1.0, 'Ответ на уроке', ?, 'bench')",
                (f"gbench{number}", student_id, class_id, subject_id, day.isoformat()),
            )
    return len(students)


def figures_of(what: str, ours: Cost, alone: Cost, target_cpu: str = "", target_wall: str = "") -> list[Figure]:
    label = "e-diary reads alone"
    return [
        Figure(SECTION, f"{what}: CPU", ours.cpu, "s", alone.cpu, label, target_cpu),
        Figure(SECTION, f"{what}: wall", ours.wall, "s", alone.wall, label, target_wall),
        Figure(SECTION, f"{what}: SQL statements", ours.sql, "", alone.sql, label),
        Figure(SECTION, f"{what}: provider calls", ours.calls, "", alone.calls, label),
    ]


async def http_server(demo: Path, today: date, latency: float) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.http_ediary",
        "--demo",
        str(demo),
        "--today",
        today.isoformat(),
        "--latency",
        str(latency),
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None
    line = (await process.stdout.readline()).decode()  # its ready signal
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"the fake e-diary did not start: {line!r}")
    return process, f"http://127.0.0.1:{line.split()[-1]}"


async def run(quick: bool = False, size: Size | None = None, latency: float = 0.05) -> list[Figure]:
    size = size or (Size(8, 10) if quick else Size(400, 25))
    polls = 1 if quick else 3
    figures: list[Figure] = []
    clock = ManualClock(NOW)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        settings = settings_for(tmp)
        await school_copy(size.classes, size.per_class, NOW.date(), settings.demo_database_path)
        demo = await DemoProvider.open(settings.demo_database_path, clock)
        async with running(settings, clock, demo) as ctx:
            sql = SqlStatements()
            await sql.attach(ctx.database)
            calls = provider_calls(ctx)
            linked = accounts(demo.directory)
            await link_accounts(ctx.database, linked, clock.now())
            queued, first = await measured(functools.partial(poller.poll, ctx), sql, calls)
            figures.append(
                Figure(SECTION, f"first poll (silent baseline), {len(linked):,} accounts", first.cpu, "s CPU")
            )

            quiet: list[Cost] = []
            for _ in range(polls):
                clock.advance(minutes=5)
                queued, cost = await measured(functools.partial(poller.poll, ctx), sql, calls)
                assert queued == 0, f"a poll without changes queued {queued} alert(s)"
                quiet.append(cost)
            _, alone = await measured(functools.partial(reads_alone, ctx, await units_of(ctx)), sql, calls)
            no_change = min(quiet, key=lambda c: c.cpu)  # the least disturbed of them (the machine is shared)
            figures += figures_of(f"no-change poll, {size.label}", no_change, alone, "< 2 s")

            graded = await add_new_grades(demo, clock.today())
            clock.advance(minutes=5)
            queued, busy = await measured(functools.partial(poller.poll, ctx), sql, calls)
            _, alone = await measured(functools.partial(reads_alone, ctx, await units_of(ctx)), sql, calls)
            figures += figures_of(f"poll with 1% new grades ({graded} grades, {queued} alerts)", busy, alone)

        for schedule_reads in (False, True):
            server, url = await http_server(settings.demo_database_path, clock.today(), latency)
            try:
                directory = await DemoProvider.open(settings.demo_database_path, clock)
                remote = HttpEdiary(directory, url, schedule_reads=schedule_reads)
                async with running(settings, clock, remote) as ctx:
                    sql = SqlStatements()
                    await sql.attach(ctx.database)
                    calls = provider_calls(ctx)
                    clock.advance(minutes=5)
                    queued, cost = await measured(functools.partial(poller.poll, ctx), sql, calls)
                    concurrency = getattr(ctx.settings, "poll_concurrency", 1)
                    _, alone = await measured(
                        functools.partial(reads_alone, ctx, await units_of(ctx), concurrency), sql, calls
                    )
                    reads = "class_schedule" if schedule_reads else "separate reads"
                    what = f"HTTP e-diary at {latency * 1000:.0f} ms, {reads}, no-change poll"
                    figures += figures_of(what, cost, alone, target_wall="< 15 s")
                    requests = remote.requests
                    figures.append(Figure(SECTION, f"{what}: HTTP requests (both runs)", requests, ""))
            finally:
                server.terminate()
                await server.wait()
    return figures


def main(argv: list[str] | None = None) -> None:
    from benchmarks.figures import table

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 classes of 10 (a CI smoke)")
    parser.add_argument("--classes", type=int, help="default 400")
    parser.add_argument("--students-per-class", type=int, help="default 25")
    parser.add_argument("--latency", type=float, default=0.05, help="the HTTP e-diary's answer time (default 0.05)")
    args = parser.parse_args(argv)
    size = None
    if args.classes or args.students_per_class:
        size = Size(args.classes or 400, args.students_per_class or 25)
    print(table(asyncio.run(run(args.quick, size, args.latency))))


if __name__ == "__main__":
    main()
