"""Small reference data (work types, periods, bell times, people, classes, subjects) kept for a while by the
injected clock; concurrent readers of one key share one request, and failures are not kept."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.clock import Clock

T = TypeVar("T")

PEOPLE_TTL = timedelta(hours=1)
REFERENCE_TTL = timedelta(hours=6)


class TtlCache:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._values: dict[Hashable, tuple[datetime, Any]] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}

    async def get(self, key: Hashable, ttl: timedelta, load: Callable[[], Awaitable[T]]) -> T:
        hit = self._fresh(key)
        if hit is not None:
            return hit[0]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            hit = self._fresh(key)  # another reader may have loaded it while we waited
            if hit is not None:
                return hit[0]
            value = await load()
            self._values[key] = (self.clock.now() + ttl, value)
            return value

    def peek(self, key: Hashable) -> Any | None:
        """The fresh value, if there is one, without loading."""
        hit = self._fresh(key)
        return None if hit is None else hit[0]

    def forget(self, predicate: Callable[[Hashable], bool] | None = None) -> None:
        for key in [k for k in self._values if predicate is None or predicate(k)]:
            del self._values[key]

    def _fresh(self, key: Hashable) -> tuple[Any] | None:
        entry = self._values.get(key)
        if entry is None or entry[0] <= self.clock.now():
            return None
        return (entry[1],)
