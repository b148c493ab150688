"""Quiet hours in the school's own timezone (here Yekaterinburg, UTC+5): alerts found at night are deferred
to the end of quiet hours, across midnight, and never dropped."""

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.alerts import poller
from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider, commands
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, queued, texts
from tests.conftest import App, make_settings

pytestmark = BOTH_READ_MODES

TZ = "Asia/Yekaterinburg"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 21, 0), TZ)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, timezone=TZ)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(TZ))


async def test_a_grade_found_late_in_the_evening_arrives_at_seven_local_time(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")  # default quiet hours 22:00–07:00
    night_owl = await follow(app, 502, "s01", "student", quiet_start=time(0, 0), quiet_end=time(0, 0))
    await poller.poll(app.ctx)
    app.clock.set(local(2026, 11, 25, 23, 30))
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poller.poll(app.ctx)
    [item] = await queued(app, 501)
    assert item.not_before == local(2026, 11, 26, 7, 0)  # 02:00 UTC, not Moscow's 07:00
    await deliver(app)
    assert parent.messages == []
    assert any("Математика: 5" in text for text in texts(night_owl))  # quiet hours off: at once
    app.clock.set(local(2026, 11, 26, 6, 59))
    await deliver(app)
    assert parent.messages == []
    app.clock.set(local(2026, 11, 26, 7, 0))
    await deliver(app)
    assert any("Математика: 5" in text for text in texts(parent))


async def test_after_midnight_the_alert_waits_for_the_same_morning(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    app.clock.set(local(2026, 11, 26, 0, 30))
    await commands.add_grade(provider, "s01", "Литература", "4", comment="Хорошо")
    await poller.poll(app.ctx)
    items = await queued(app, 501, "grades")
    assert items and all(i.not_before == local(2026, 11, 26, 7, 0) for i in items)
    app.clock.set(local(2026, 11, 26, 7, 1))
    await deliver(app)
    assert any("Литература: 4" in text for text in texts(parent))


async def test_outside_quiet_hours_alerts_go_at_once(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent", quiet_start=time(13, 0), quiet_end=time(15, 0))
    await poller.poll(app.ctx)  # 21:00 local: after the afternoon quiet hours
    await commands.add_grade(provider, "s01", "Математика", "4")
    await poller.poll(app.ctx)
    await deliver(app)
    assert "Математика: 4" in texts(parent)[0]
