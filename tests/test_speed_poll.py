"""The poll at scale (issue 15): its SQL does not grow with the linked accounts, it reads classes concurrently
within POLL_CONCURRENCY, an e-diary read through class_schedule finds exactly what the separate reads find, and
the reminders job asks nothing per account before anyone's reminder time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.alerts import poller
from bot.alerts.reminders import send_due_reminders
from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider, commands
from bot.ediary.model import Grade, Role
from storage import users as users_repo
from tests.alerts_story import deliver, follow, texts
from tests.conftest import App, make_settings, running_app
from tests.demo_school import copy_demo_school

GUARD_SECONDS = 60.0  # only a poll that waits forever takes this long


class Statements:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, sql: str) -> None:
        self.count += 1


async def link_everyone(app: App, provider: DemoProvider, first_account: int) -> int:
    """An account for every student and parent of the demo school; returns how many."""
    people = await provider.list_people(role=Role.STUDENT) + await provider.list_people(role=Role.PARENT)
    for number, person in enumerate(people):
        await app.link(first_account + number, person.id, person.role.value)
    return len(people)


async def quiet_poll_statements(app: App) -> int:
    statements = Statements()
    await app.db.set_trace_callback(statements)
    app.clock.advance(minutes=5)
    assert await poller.poll(app.ctx) == 0
    return statements.count


async def test_a_poll_without_changes_asks_sql_per_class_not_per_account(app: App, provider: DemoProvider) -> None:
    await link_everyone(app, provider, 10_000)
    await poller.poll(app.ctx)  # the silent first sync
    few = await quiet_poll_statements(app)
    linked = await link_everyone(app, provider, 20_000)  # every family member gets a second account
    await poller.poll(app.ctx)
    assert await quiet_poll_statements(app) == few
    classes = len(await provider.list_classes())
    assert few <= 10 * classes < linked


class GatedReads:
    """The demo school whose class_grades answer only once `bound` of them are waiting at once (or all the
    classes asked): a poll reading classes one by one would never get its answers."""

    def __init__(self, demo: DemoProvider, bound: int, classes: int) -> None:
        self.demo = demo
        self.bound = bound
        self.classes = classes
        self.waiting = 0
        self.arrived = 0
        self.most = 0
        self.opened = False  # once `bound` waited at once, everyone goes on
        self.changed = asyncio.Condition()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.demo, name)

    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        async with self.changed:
            self.waiting += 1
            self.arrived += 1
            self.most = max(self.most, self.waiting)
            self.opened = self.opened or self.waiting >= self.bound or self.arrived >= self.classes
            self.changed.notify_all()
            await self.changed.wait_for(lambda: self.opened)
        try:
            return await self.demo.class_grades(class_name, start, end)
        finally:
            async with self.changed:
                self.waiting -= 1


@pytest.fixture
async def two_at_once(tmp_path: Path, clock: ManualClock) -> AsyncIterator[tuple[App, GatedReads]]:
    settings: Settings = make_settings(tmp_path, poll_concurrency="2")
    await copy_demo_school(settings.demo_database_path, clock)
    demo = await DemoProvider.open(settings.demo_database_path, clock)
    gated = GatedReads(demo, bound=2, classes=len(await demo.list_classes()))
    async with running_app(settings, clock, gated) as app:  # type: ignore[arg-type]  # a provider by duck typing
        yield app, gated
    await demo.close()


async def test_classes_are_read_concurrently_within_poll_concurrency(two_at_once: tuple[App, GatedReads]) -> None:
    app, gated = two_at_once
    parent = await follow(app, 501, "p01", "parent")  # children in 5А and 9В
    await follow(app, 502, "s09", "student")  # 7Б
    async with asyncio.timeout(GUARD_SECONDS):
        await poller.poll(app.ctx)
    assert gated.most == 2 and gated.arrived == gated.classes == 3
    await commands.add_grade(gated.demo, "s01", "Математика", "5")
    await commands.add_grade(gated.demo, "s17", "Физика", "4")  # another class of the same parent
    async with asyncio.timeout(GUARD_SECONDS):
        assert await poller.poll(app.ctx) == 2
    await deliver(app)
    assert len(texts(parent)) == 2


def seen_rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in rows]


async def test_reads_through_class_schedule_find_exactly_what_the_separate_reads_find(
    app: App, provider: DemoProvider
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await follow(app, 502, "s09", "student")
    await poller.poll(app.ctx)
    snapshot = "SELECT class_name, kind, record_key, fingerprint, payload, revision, missing_count FROM alert_seen"
    before = seen_rows(await app.db.fetchall(f"{snapshot} ORDER BY 1, 2, 3"))
    separate, through_schedule = app.ctx.provider, DemoProvider(provider.file, app.clock, schedule_reads=True)
    app.ctx.provider = through_schedule
    app.clock.advance(minutes=5)
    assert await poller.poll(app.ctx) == 0  # no false change
    assert seen_rows(await app.db.fetchall(f"{snapshot} ORDER BY 1, 2, 3")) == before

    await commands.add_grade(provider, "s01", "Математика", "5")
    day = app.clock.today() + timedelta(days=1)
    await commands.change_lesson(provider, "5А", day, 2, cancel=True)
    assert await poller.poll(app.ctx) == 2
    app.ctx.provider = separate
    app.clock.advance(minutes=5)
    assert await poller.poll(app.ctx) == 0
    await deliver(app)
    grades, timetable = texts(parent)
    assert "Математика: 5" in grades and "отменён" in timetable


async def test_reminders_ask_nothing_per_account_before_the_earliest_reminder_time(
    app: App, provider: DemoProvider
) -> None:
    linked = await link_everyone(app, provider, 10_000)
    due = app.clock.today() + timedelta(days=1)
    await commands.add_homework(provider, "5А", "Математика", due, "№ 1, 2, 3")
    await poller.poll(app.ctx)
    statements = Statements()
    await app.db.set_trace_callback(statements)
    afternoon = datetime.combine(app.clock.today(), time(16, 0), tzinfo=app.ctx.settings.tz)
    assert await send_due_reminders(app.ctx, afternoon) == 0
    assert statements.count < 10 < linked
    evening = datetime.combine(app.clock.today(), time(18, 0), tzinfo=app.ctx.settings.tz)
    assert await send_due_reminders(app.ctx, evening) > 0  # the 5А students get theirs at 18:00
    statements.count = 0
    assert await send_due_reminders(app.ctx, evening + timedelta(minutes=1)) == 0  # all reminded already
    assert statements.count < 10 < linked


async def test_an_account_that_blocked_the_bot_gets_no_alert_and_is_followed_again_when_it_writes(
    app: App, provider: DemoProvider
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    await users_repo.set_active(app.db, 501, False)  # a 403: the followers are read again (the counters moved)
    await commands.add_grade(provider, "s01", "Математика", "5")
    assert await poller.poll(app.ctx) == 1  # the student only
    await parent.send("/start")  # a user who writes is reachable again
    await commands.add_grade(provider, "s01", "Математика", "4")
    assert await poller.poll(app.ctx) == 2
