"""A brief cache of e-diary answers shared by everyone using the bot at the same moment.

Ten parents of one class pressing /today at 7:45 ask the e-diary once: answers are kept for a short
time (by the injected clock), and concurrent requests for the same key wait on one in-flight call.
Failures are never cached; everyone waiting on a failed call gets its error, the next request retries.

    reader = ctx.reader                              # the app's provider, read through the app's cache
    schedule = await reader.class_schedule("5А", day, day)   # lessons, homework and marks: one call
    value = await ctx.provider_cache.get(("my-key", 1), load_it)   # any async loader
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.clock import Clock

T = TypeVar("T")

DEFAULT_TTL = timedelta(seconds=60)
MAX_ENTRIES = 2048


class ProviderCache:
    """Answers by key for `ttl` (clock time); one in-flight call per key."""

    def __init__(self, clock: Clock, ttl: timedelta = DEFAULT_TTL, max_entries: int = MAX_ENTRIES) -> None:
        self.clock = clock
        self.ttl = ttl
        self.max_entries = max_entries
        self._answers: dict[Hashable, tuple[datetime, Any]] = {}  # key -> (expires at, answer)
        self._in_flight: dict[Hashable, asyncio.Future[Any]] = {}
        self.stats: Counter[str] = Counter()  # "hit" (fresh answer), "joined" (waited on a call), "loaded"

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]], *, ttl: timedelta | None = None) -> T:
        """The cached answer for `key`, else the result of `load()` (shared with concurrent callers)."""
        now = self.clock.now()
        cached = self._answers.get(key)
        if cached is not None:
            if cached[0] > now:
                self.stats["hit"] += 1
                return cached[1]
            del self._answers[key]
        future = self._in_flight.get(key)
        if future is None:
            self.stats["loaded"] += 1
            future = asyncio.ensure_future(self._load(key, load, ttl or self.ttl))
            future.add_done_callback(_retrieve)
            self._in_flight[key] = future
        else:
            self.stats["joined"] += 1
        # shield: a caller that gives up (cancelled) must not cancel the call others wait on
        return await asyncio.shield(future)

    async def call(
        self, provider: Any, method: str, *args: Hashable, ttl: timedelta | None = None, **kwargs: Hashable
    ) -> Any:
        """`provider.<method>(*args, **kwargs)` through the cache, keyed by the method and the arguments."""
        key = (id(provider), method, *args, *sorted(kwargs.items()))
        answer = await self.get(key, lambda: getattr(provider, method)(*args, **kwargs), ttl=ttl)
        return list(answer) if isinstance(answer, list) else answer  # callers may sort or extend theirs

    def invalidate(self, predicate: Callable[[Hashable], bool] | None = None) -> int:
        """Forget cached answers (all, or those whose key matches); returns how many were dropped."""
        keys = [k for k in self._answers if predicate is None or predicate(k)]
        for key in keys:
            del self._answers[key]
        return len(keys)

    def __len__(self) -> int:
        return len(self._answers)

    async def _load(self, key: Hashable, load: Callable[[], Awaitable[Any]], ttl: timedelta) -> Any:
        try:
            answer = await load()
        finally:
            self._in_flight.pop(key, None)
        self._store(key, answer, ttl)
        return answer

    def _store(self, key: Hashable, answer: Any, ttl: timedelta) -> None:
        now = self.clock.now()
        if len(self._answers) >= self.max_entries:
            for stale in [k for k, (expires, _) in self._answers.items() if expires <= now]:
                del self._answers[stale]
            while len(self._answers) >= self.max_entries:  # still full: drop the oldest insertions
                del self._answers[next(iter(self._answers))]
        self._answers[key] = (now + ttl, answer)


class CachedProvider:
    """A provider whose read methods answer through the cache; everything else (sending messages,
    capabilities, close) goes straight to the real provider."""

    READ_METHODS = frozenset(
        {
            "get_person",
            "get_student",
            "get_teacher",
            "list_people",
            "list_classes",
            "class_students",
            "children_of",
            "parents_of",
            "class_teachers",
            "class_subjects",
            "periods",
            "student_grades",
            "class_grades",
            "final_marks",
            "class_lessons",
            "teacher_lessons",
            "class_homework",
            "class_schedule",
        }
    )

    def __init__(self, provider: Any, cache: ProviderCache) -> None:
        self.provider = provider
        self.cache = cache

    def __getattr__(self, name: str) -> Any:
        if name in self.READ_METHODS:
            return functools.partial(self.cache.call, self.provider, name)
        return getattr(self.provider, name)


def _retrieve(future: asyncio.Future[Any]) -> None:
    # every waiter may have been cancelled: mark the error as seen so asyncio does not log it
    if not future.cancelled():
        future.exception()
