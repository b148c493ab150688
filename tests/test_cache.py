"""The brief provider cache: one e-diary call per key while fresh, shared by concurrent requests."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from bot.clock import ManualClock
from bot.ediary.cached import ANY_CLASS, CachedProvider, ProviderCache
from bot.ediary.provider import ProviderUnavailable
from tests.conftest import running_app
from tests.harness import eventually
from tests.timetable_fakes import CountingProvider

DAY = date(2026, 11, 25)


class Loader:
    """An async loader that counts its calls and can be held until released."""

    def __init__(self, answer: object = "answer") -> None:
        self.answer = answer
        self.calls = 0
        self.release = asyncio.Event()
        self.release.set()
        self.fail_with: Exception | None = None

    async def __call__(self) -> object:
        self.calls += 1
        await self.release.wait()
        if self.fail_with is not None:
            raise self.fail_with
        return self.answer


async def test_an_answer_is_reused_until_the_ttl_passes(clock: ManualClock) -> None:
    cache = ProviderCache(clock, ttl=timedelta(seconds=60))
    load = Loader()
    assert await cache.get("k", load) == "answer"
    clock.advance(seconds=59)
    assert await cache.get("k", load) == "answer"
    assert load.calls == 1
    clock.advance(seconds=2)
    assert await cache.get("k", load) == "answer"
    assert load.calls == 2


async def test_different_keys_are_loaded_separately(clock: ManualClock) -> None:
    cache = ProviderCache(clock)
    first, second = Loader("a"), Loader("b")
    assert await cache.get(("class_lessons", "5А"), first) == "a"
    assert await cache.get(("class_lessons", "7Б"), second) == "b"
    assert (first.calls, second.calls) == (1, 1)


async def test_concurrent_requests_share_one_call_in_flight(clock: ManualClock) -> None:
    cache = ProviderCache(clock)
    load = Loader()
    load.release.clear()
    waiting = [asyncio.create_task(cache.get("k", load)) for _ in range(10)]
    await asyncio.sleep(0)
    load.release.set()
    assert await asyncio.gather(*waiting) == ["answer"] * 10
    assert load.calls == 1


async def test_a_failure_reaches_every_waiter_and_is_not_cached(clock: ManualClock) -> None:
    cache = ProviderCache(clock)
    load = Loader()
    load.fail_with = ProviderUnavailable("down")
    load.release.clear()
    waiting = [asyncio.create_task(cache.get("k", load)) for _ in range(3)]
    await asyncio.sleep(0)
    load.release.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(r, ProviderUnavailable) for r in results)
    assert load.calls == 1
    load.fail_with = None
    assert await cache.get("k", load) == "answer"  # the next request asks again
    assert load.calls == 2


async def test_a_caller_giving_up_does_not_cancel_the_call_others_wait_for(clock: ManualClock) -> None:
    cache = ProviderCache(clock)
    load = Loader()
    load.release.clear()
    impatient = asyncio.create_task(cache.get("k", load))
    patient = asyncio.create_task(cache.get("k", load))
    await asyncio.sleep(0)
    impatient.cancel()
    load.release.set()
    assert await patient == "answer"
    with pytest.raises(asyncio.CancelledError):
        await impatient
    assert await cache.get("k", load) == "answer"
    assert load.calls == 1


async def test_the_cache_stays_bounded(clock: ManualClock) -> None:
    cache = ProviderCache(clock, max_entries=3)
    for n in range(5):
        await cache.get(n, Loader(n))
    assert len(cache) == 3
    load = Loader("fresh")
    assert await cache.get(0, load) == "fresh"  # the oldest went first
    assert load.calls == 1


async def test_cached_provider_caches_reads_and_passes_everything_else(clock: ManualClock, provider) -> None:
    counting = CountingProvider(provider)
    reader = CachedProvider(counting, ProviderCache(clock))
    first = await reader.class_lessons("5А", DAY, DAY)
    first.clear()  # a caller changing its list must not change what others get
    again = await reader.class_lessons("5А", DAY, DAY)
    assert len(again) == 5
    assert counting.calls["class_lessons"] == 1
    await reader.list_people(class_name="5А")
    await reader.list_people(class_name="5А")
    assert counting.calls["list_people"] == 1
    await reader.send_message("t01", "p01", "s01", "Здравствуйте")
    await reader.send_message("t01", "p01", "s01", "Здравствуйте")
    assert counting.calls["send_message"] == 2  # never cached
    assert reader.capabilities.substitutions is True


async def test_each_app_has_its_own_cache_on_its_clock(app, settings, clock, provider) -> None:
    cache = app.ctx.provider_cache
    assert app.ctx.reader.cache is cache
    assert cache.clock is app.clock
    async with running_app(settings, clock, provider) as other:
        assert other.ctx.provider_cache is not cache


async def test_the_pollers_read_outdates_answers_about_that_class(clock: ManualClock) -> None:
    cache = ProviderCache(clock)
    about_5a, about_7b, about_anyone, people = Loader("5А"), Loader("7Б"), Loader("teacher"), Loader("names")
    await cache.get("5А-today", about_5a, about="5А")
    await cache.get("7Б-today", about_7b, about="7Б")
    await cache.get("t01-today", about_anyone, about=ANY_CLASS)
    await cache.get("people", people)
    cache.poller_read("5А")
    for key, load, about in (
        ("5А-today", about_5a, "5А"),
        ("7Б-today", about_7b, "7Б"),
        ("t01-today", about_anyone, ANY_CLASS),
        ("people", people, None),
    ):
        await cache.get(key, load, about=about)
    assert (about_5a.calls, about_7b.calls, about_anyone.calls, people.calls) == (2, 1, 2, 1)
    await cache.get("5А-today", about_5a, about="5А")
    assert about_5a.calls == 2  # loaded after the read: fresh again


async def test_a_load_in_flight_during_the_pollers_read_is_not_joined_nor_kept(clock: ManualClock) -> None:
    cache = ProviderCache(clock)
    before = Loader("old")
    before.release.clear()
    early = asyncio.create_task(cache.get("k", before, about="5А"))
    await eventually(lambda: before.calls == 1, "the first load started")
    cache.poller_read("5А")
    after = Loader("new")
    assert await cache.get("k", after, about="5А") == "new"  # not the call that began before the read
    before.release.set()
    assert await early == "old"  # its own caller asked before the read
    assert await cache.get("k", Loader("unused"), about="5А") == "new"  # the older answer did not replace it
    assert (before.calls, after.calls) == (1, 1)


async def test_cached_provider_says_whose_records_a_read_holds() -> None:
    assert CachedProvider.about("class_schedule", ("5А", DAY, DAY)) == "5А"
    assert CachedProvider.about("teacher_lessons", ("t01", DAY, DAY)) == ANY_CLASS
    assert CachedProvider.about("student_schedule", ("s01", DAY, DAY)) == ANY_CLASS
    assert CachedProvider.about("children_of", ("p01",)) is None
