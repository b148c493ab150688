"""A brief cache of e-diary answers shared by everyone using the bot at the same moment.

Ten parents of one class pressing /today at 7:45 ask the e-diary once: answers are kept for a short
time (by the injected clock), and concurrent requests for the same key wait on one in-flight call.
Failures are never cached; everyone waiting on a failed call gets its error, the next request retries.

The views never contradict the alerts: when the poller has read a class (`poller_read`), an answer about that
class's records that was loaded before, or was still in flight at that moment, is not served again; the next
request asks the e-diary, so it sees at least what the poller saw.

    reader = ctx.reader                              # the app's provider, read through the app's cache
    schedule = await reader.class_schedule("5А", day, day)   # lessons, homework and marks: one call
    value = await ctx.provider_cache.get(("my-key", 1), load_it)   # any async loader
"""

from __future__ import annotations

import asyncio
import functools
import itertools
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.clock import Clock
from bot.ediary.provider import CLASS_READS, READS, REFERENCE_READS

T = TypeVar("T")

DEFAULT_TTL = timedelta(seconds=60)
MAX_ENTRIES = 2048
ANY_CLASS = "*"  # `about` of records that may concern any class (a teacher's lessons, a student's marks)


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: datetime
    started: int  # the cache's step when its load began
    about: str | None
    answer: Any


@dataclass(frozen=True, slots=True)
class _Load:
    started: int
    about: str | None
    future: asyncio.Future[Any]


class ProviderCache:
    """Answers by key for `ttl` (clock time); one in-flight call per key; answers about a class's records
    outdated by the poller's read of that class."""

    def __init__(self, clock: Clock, ttl: timedelta = DEFAULT_TTL, max_entries: int = MAX_ENTRIES) -> None:
        self.clock = clock
        self.ttl = ttl
        self.max_entries = max_entries
        self._answers: dict[Hashable, _Entry] = {}
        self._in_flight: dict[Hashable, _Load] = {}
        self._steps = itertools.count(1)  # orders loads and the poller's reads (a frozen clock cannot)
        self._read_at: dict[str, int] = {}  # class name (or ANY_CLASS) -> step of the poller's last read
        self.stats: Counter[str] = Counter()  # "hit" (fresh answer), "joined" (waited on a call), "loaded"

    async def get(
        self,
        key: Hashable,
        load: Callable[[], Awaitable[T]],
        *,
        ttl: timedelta | None = None,
        about: str | None = None,
    ) -> T:
        """The cached answer for `key`, else the result of `load()` (shared with concurrent callers).

        `about`: the class whose records the answer holds (ANY_CLASS: records of any class), so that the
        poller's read outdates it; None for anything else (people, periods), kept for its ttl."""
        now = self.clock.now()
        cached = self._answers.get(key)
        if cached is not None:
            if cached.expires > now and not self._outdated(cached.started, cached.about):
                self.stats["hit"] += 1
                return cached.answer
            del self._answers[key]
        loading = self._in_flight.get(key)
        if loading is None or self._outdated(loading.started, loading.about):
            self.stats["loaded"] += 1
            started = next(self._steps)
            future = asyncio.ensure_future(self._load(key, started, about, load, ttl or self.ttl))
            loading = _Load(started, about, future)
            self._in_flight[key] = loading
            loading.future.add_done_callback(_retrieve)
        else:
            self.stats["joined"] += 1
        # shield: a caller that gives up (cancelled) must not cancel the call others wait on
        return await asyncio.shield(loading.future)

    def poller_read(self, class_name: str) -> None:
        """The poller has just read this class completely (and may alert about it): answers about its
        records loaded or started before now are outdated."""
        step = next(self._steps)
        self._read_at[class_name] = step
        self._read_at[ANY_CLASS] = step

    async def call(
        self, provider: Any, method: str, *args: Hashable, ttl: timedelta | None = None, **kwargs: Hashable
    ) -> Any:
        """`provider.<method>(*args, **kwargs)` through the cache, keyed by the method and the arguments."""
        key = (id(provider), method, *args, *sorted(kwargs.items())) if kwargs else (id(provider), method, *args)
        about = CachedProvider.about(method, args)
        answer = await self.get(key, lambda: getattr(provider, method)(*args, **kwargs), ttl=ttl, about=about)
        return list(answer) if isinstance(answer, list) else answer  # callers may sort or extend theirs

    def invalidate(self, predicate: Callable[[Hashable], bool] | None = None) -> int:
        """Forget cached answers (all, or those whose key matches); returns how many were dropped."""
        keys = [k for k in self._answers if predicate is None or predicate(k)]
        for key in keys:
            del self._answers[key]
        return len(keys)

    def __len__(self) -> int:
        return len(self._answers)

    def _outdated(self, started: int, about: str | None) -> bool:
        if about is None:
            return False
        read = self._read_at.get(ANY_CLASS, 0) if about == ANY_CLASS else self._read_at.get(about, 0)
        return started < read

    async def _load(
        self, key: Hashable, started: int, about: str | None, load: Callable[[], Awaitable[Any]], ttl: timedelta
    ) -> Any:
        try:
            answer = await load()
        finally:
            current = self._in_flight.get(key)
            if current is not None and current.started == started:  # a newer load may have taken the key
                del self._in_flight[key]
        self._store(key, _Entry(self.clock.now() + ttl, started, about, answer))
        return answer

    def _store(self, key: Hashable, entry: _Entry) -> None:
        if self._outdated(entry.started, entry.about):
            return  # the poller read the class while this was loading: its waiters get it, nobody after
        held = self._answers.get(key)
        if held is not None and held.started > entry.started:
            return  # a load that began later finished first
        now = self.clock.now()
        if len(self._answers) >= self.max_entries:
            for stale in [k for k, e in self._answers.items() if e.expires <= now]:
                del self._answers[stale]
            while len(self._answers) >= self.max_entries:  # still full: drop the oldest insertions
                del self._answers[next(iter(self._answers))]
        self._answers.pop(key, None)
        self._answers[key] = entry


class CachedProvider:
    """A provider whose read methods answer through the cache; everything else (sending messages,
    capabilities, close) goes straight to the real provider."""

    READ_METHODS = frozenset(READS)

    def __init__(self, provider: Any, cache: ProviderCache) -> None:
        self.provider = provider
        self.cache = cache

    def __getattr__(self, name: str) -> Any:
        if name in self.READ_METHODS:
            read = functools.partial(self.cache.call, self.provider, name)
            self.__dict__[name] = read  # found at once next time (the app keeps one CachedProvider)
            return read
        return getattr(self.provider, name)

    @classmethod
    def about(cls, method: str, args: tuple[Hashable, ...]) -> str | None:
        """Whose records a read's answer holds, for the cache (see ProviderCache.get)."""
        if method in CLASS_READS and args and isinstance(args[0], str):
            return args[0]
        if method in REFERENCE_READS:
            return None
        return ANY_CLASS


def _retrieve(future: asyncio.Future[Any]) -> None:
    # every waiter may have been cancelled: mark the error as seen so asyncio does not log it
    if not future.cancelled():
        future.exception()
