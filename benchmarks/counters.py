"""What a piece of work cost: CPU and wall time, SQL statements run on the bot's database (a trace callback on
its connections) and calls of the e-diary provider."""

from __future__ import annotations

import gc
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.context import AppContext
from storage.db import Database

T = TypeVar("T")


def provider_calls(ctx: AppContext) -> Callable[[], int]:
    """How many calls the app's provider answered so far (the app's own metrics count every call)."""

    def total() -> int:
        return int(
            sum(
                sample.value
                for metric in ctx.metrics.provider_requests.collect()
                for sample in metric.samples
                if sample.name.endswith("_total")
            )
        )

    return total


class SqlStatements:
    """Counts the statements SQLite runs on the bot database's connections (BEGIN and COMMIT included)."""

    def __init__(self) -> None:
        self.count = 0
        self._last = ""

    def __call__(self, statement: str) -> None:  # called from the thread that runs it
        if statement != self._last or statement.startswith("SELECT"):  # a write's trigger reports it again
            self.count += 1
        self._last = statement

    async def attach(self, db: Database) -> None:
        await db.set_trace_callback(self)


@dataclass(frozen=True)
class Cost:
    cpu: float  # seconds of the whole process (every thread)
    wall: float
    sql: int
    calls: int


async def measured(
    work: Callable[[], Awaitable[T]], sql: SqlStatements | None = None, calls: Callable[[], int] | None = None
) -> tuple[T, Cost]:
    gc.collect()
    sql_before = sql.count if sql else 0
    calls_before = calls() if calls else 0
    cpu, wall = time.process_time(), time.perf_counter()
    result = await work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    cost = Cost(cpu, wall, (sql.count - sql_before) if sql else 0, (calls() - calls_before) if calls else 0)
    return result, cost
