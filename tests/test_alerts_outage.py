"""The e-diary goes down, times out or answers half: no alert, no deletion, no false "new grade" afterwards;
the poll backs off while it fails and recovers on its own."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.alerts import poller
from bot.ediary.demo import DemoProvider, commands
from bot.ediary.provider import IncompleteAnswer, ProviderUnavailable
from storage import seen as seen_repo
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, poll_and_deliver, scope, texts
from tests.conftest import App

pytestmark = BOTH_READ_MODES


class FlakyEdiary:
    """The demo e-diary behind a switch: `failing` is an exception raised by the record reads (or None)."""

    def __init__(self, real: DemoProvider) -> None:
        self.real = real
        self.failing: BaseException | None = None
        self.fail_only: set[str] | None = None  # these methods, or every record read
        self.people_fail = False  # the followers lookup (children_of) fails with `failing` too
        self.calls = 0

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    async def _read(self, name: str, *args):
        self.calls += 1
        if self.failing is not None and (self.fail_only is None or name in self.fail_only):
            raise self.failing
        return await getattr(self.real, name)(*args)

    async def class_grades(self, *args):
        return await self._read("class_grades", *args)

    async def class_lessons(self, *args):
        return await self._read("class_lessons", *args)

    async def class_homework(self, *args):
        return await self._read("class_homework", *args)

    async def student_schedule(self, *args):
        return await self._read("student_schedule", *args)

    async def children_of(self, *args):
        if self.people_fail and self.failing is not None:
            raise self.failing
        return await self.real.children_of(*args)


@pytest.fixture
def flaky(app: App, provider: DemoProvider) -> FlakyEdiary:
    wrapper = FlakyEdiary(provider)
    app.ctx.provider = wrapper  # the poll reads through the wrapper
    return wrapper


async def missing_counts(app: App) -> dict[str, int]:
    return {r.key: r.missing_count for r in await seen_repo.load(app.db, scope(app, "5А", "s01"), "grade")}


async def test_an_outage_and_recovery_bring_no_false_alerts(
    app: App, provider: DemoProvider, flaky: FlakyEdiary, caplog: pytest.LogCaptureFixture
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    before = await missing_counts(app)
    flaky.failing = ProviderUnavailable("connection refused")
    caplog.set_level(logging.INFO, logger="bot.alerts.poller")
    assert await poller.poll(app.ctx) == 0
    added = await commands.add_grade(provider, "s01", "Математика", "5")  # entered while we cannot see
    for _ in range(5):
        app.clock.advance(hours=1)
        assert await poller.poll(app.ctx) == 0
    assert await missing_counts(app) == before  # failed polls are not "polls without the grade"
    await deliver(app)
    assert parent.messages == []
    failed = "class 5А" if app.ctx.ediary.capabilities.class_reads else "student s01 (5А)"
    assert f"poll of {failed} failed (ProviderUnavailable)" in caplog.text

    flaky.failing = None
    app.clock.advance(hours=1)
    await poll_and_deliver(app)
    [message] = texts(parent)  # only the grade that really is new
    assert "Новая оценка" in message and "Математика: 5" in message
    assert "works again after" in caplog.text
    assert added.id in await missing_counts(app)


async def test_failing_polls_back_off_with_growing_delays_and_recover(app: App, flaky: FlakyEdiary) -> None:
    await follow(app, 502, "s01", "student")  # one class: one read per poll attempt
    interval = timedelta(seconds=app.ctx.settings.poll_interval_seconds)
    await poller.poll(app.ctx)
    flaky.failing = ProviderUnavailable("down")
    delays = []
    for _ in range(4):
        calls = flaky.calls
        await poller.poll(app.ctx)
        assert flaky.calls == calls + 1  # tried (and failed) once
        backoff = app.ctx.poll.backoffs[scope(app, "5А", "s01")]
        delay = backoff.retry_at - app.clock.now()
        delays.append(delay)
        app.clock.advance(delay - timedelta(seconds=1))
        await poller.poll(app.ctx)
        assert flaky.calls == calls + 1  # skipped: still backing off
        app.clock.advance(seconds=1)
    assert delays[0] >= 2 * interval
    assert delays == sorted(delays) and delays[-1] > delays[0]
    flaky.failing = None
    await poller.poll(app.ctx)
    assert app.ctx.poll.backoffs[scope(app, "5А", "s01")].failures == 0


@pytest.mark.parametrize(
    "failure", [IncompleteAnswer("truncated lessons"), TimeoutError()], ids=["truncated-answer", "timeout"]
)
async def test_a_partial_answer_records_nothing(
    app: App, provider: DemoProvider, flaky: FlakyEdiary, failure: BaseException
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    grade = await commands.add_grade(provider, "s01", "Математика", "4")
    # the grades came, the lessons did not (a per-student read is one call: it fails whole)
    flaky.failing, flaky.fail_only = failure, {"class_lessons", "student_schedule"}
    assert await poller.poll(app.ctx) == 0
    assert grade.id not in await missing_counts(app)  # not even the grades of that answer were taken
    flaky.failing = None
    app.clock.advance(hours=1)
    await poll_and_deliver(app)
    assert len(parent.messages) == 1 and "Математика: 4" in texts(parent)[0]


async def test_a_grade_deleted_during_an_outage_needs_three_good_polls(
    app: App, provider: DemoProvider, flaky: FlakyEdiary
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    grade = await commands.add_grade(provider, "s01", "Математика", "3")
    await poll_and_deliver(app)
    await commands.delete_grade(provider, grade.id)
    flaky.failing = IncompleteAnswer("half a page")
    for _ in range(4):
        app.clock.advance(hours=1)
        await poller.poll(app.ctx)
    assert (await missing_counts(app))[grade.id] == 0
    flaky.failing = None
    for _ in range(2):
        app.clock.advance(hours=1)
        await poll_and_deliver(app)
    assert len(parent.messages) == 1
    app.clock.advance(hours=2)
    await poll_and_deliver(app)
    assert "Математика: 3 удалена" in texts(parent)[-1]


async def test_a_failing_followers_lookup_backs_off_and_starts_afresh_once_it_works(
    app: App, flaky: FlakyEdiary
) -> None:
    await follow(app, 501, "p01", "parent")
    interval = timedelta(seconds=app.ctx.settings.poll_interval_seconds)
    flaky.failing, flaky.fail_only, flaky.people_fail = ProviderUnavailable("down"), set(), True  # people only
    delays = []
    for _ in range(2):
        await poller.poll(app.ctx)
        delays.append(app.ctx.poll.backoffs[poller.PEOPLE].retry_at - app.clock.now())
        app.clock.advance(delays[-1])
    assert delays == [2 * interval, 4 * interval]
    flaky.people_fail = False
    await poller.poll(app.ctx)
    assert app.ctx.poll.last_success == app.clock.now()
    flaky.people_fail = True
    app.clock.advance(interval)
    await poller.poll(app.ctx)
    assert app.ctx.poll.backoffs[poller.PEOPLE].retry_at - app.clock.now() == 2 * interval  # a new outage
