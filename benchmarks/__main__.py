"""The benchmark suite: every figure beside its baseline from the same run, as a table and as JSON.

    python -m benchmarks [--quick] [--only SECTION,...] [--json PATH]

Sections (each also runs alone: python -m benchmarks.bench_<name>):
  updates   updates through the real Dispatcher beside a bare aiogram handler (bench_updates.py)
  poll      poll cycles of 10,000 students in 400 classes, all linked, beside the e-diary reads alone, and
            against an e-diary over HTTP answering in 50 ms (bench_poll.py)
  memory    resident memory with 100,000 linked accounts beside a bare aiogram process (bench_memory.py)
  delivery  alerts through a fake Bot API enforcing Telegram's limits beside a bare send loop (bench_delivery.py)
  process   the real `ediary-bot run`: start-up beside a bare aiogram bot, 200 users pressing buttons
            (bench_process.py)
--quick runs a small version of each (seconds, not minutes: the CI smoke that keeps them working); its
figures say little. Nothing here asserts a figure. Generated schools are kept in BENCH_CACHE_DIR (default
~/.cache/ediary-bot-benchmarks) between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_delivery, bench_memory, bench_poll, bench_process, bench_updates
from benchmarks.figures import Figure, table, write_json

DELIVERY_TARGETS = {
    "300 alerts to 10 chats": "≥ 9 msg/s, no 429",
    "3,000 alerts to 3,000 chats": "≥ 24 msg/s, no 429",
}


async def delivery(quick: bool) -> list[Figure]:
    results = await bench_delivery.run(quick)
    bare = {r.scenario: r for r in results if r.sender == "bare aiogram"}
    figures = []
    for r in results:
        if r.sender == "bare aiogram":
            continue
        base = bare[r.scenario]
        target = DELIVERY_TARGETS.get(r.scenario, "")
        figures += [
            Figure("delivery", f"{r.scenario}: msg/s", r.per_second, "1/s", base.per_second, "bare aiogram", target),
            Figure("delivery", f"{r.scenario}: 429 answers", r.refused_429, "", base.refused_429, "bare aiogram"),
        ]
    return figures


SECTIONS: dict[str, Callable[[bool], Awaitable[list[Figure]]]] = {
    "updates": lambda quick: bench_updates.run(quick),
    "poll": lambda quick: bench_poll.run(quick),
    "memory": lambda quick: bench_memory.run(quick),
    "delivery": delivery,
    "process": lambda quick: bench_process.run(quick),
}


async def run(sections: list[str], quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    for name in sections:
        started = time.perf_counter()
        found = await SECTIONS[name](quick)
        print(f"{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        figures += found
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small version of each section (CI smoke)")
    parser.add_argument("--only", help=f"comma-separated sections of: {', '.join(SECTIONS)}")
    parser.add_argument("--json", type=Path, help="where to write the figures (default data/benchmarks/<time>.json)")
    args = parser.parse_args(argv)
    sections = list(SECTIONS) if not args.only else [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)} (choose from {', '.join(SECTIONS)})")
    logging.basicConfig(level=logging.ERROR)  # the bot's own warnings (retries, 429s) would drown the table
    started = datetime.now(UTC)
    figures = asyncio.run(run(sections, args.quick))
    print(table(figures))
    path = args.json or Path("data") / "benchmarks" / f"{started:%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "sections": sections,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    write_json(path, figures, meta)
    print(f"figures written to {path}")


if __name__ == "__main__":
    main()
