"""The demo e-diary's file lost and restored under a running poller: polls fail while it is missing, the poller
says once that it has read nothing for far longer than its interval and keeps how its reads stand in ctx.poll
(for /healthz), and a grade entered after the restore, or in a file swapped in with its side files, is
announced without a restart."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.alerts import poller
from bot.clock import ManualClock
from bot.ediary.demo import DemoProvider, commands
from tests.alerts_story import BOTH_READ_MODES, follow, poll_and_deliver, scope, texts
from tests.conftest import App
from tests.demo_school import copy_demo_school

pytestmark = BOTH_READ_MODES

FILES = ("", "-wal", "-shm")


async def add_grade_as_staff(path: Path, clock: ManualClock, value: str) -> None:
    """As `ediary-bot demo add-grade` does it: its own connection."""
    staff = await DemoProvider.open(path, clock)
    try:
        await commands.add_grade(staff, "s01", "Математика", value)
    finally:
        await staff.close()


def stale_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "nothing read" in r.message]


async def test_a_deleted_then_restored_file_brings_the_alerts_back(
    app: App, provider: DemoProvider, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    path = app.ctx.settings.demo_database_path
    unit = scope(app, "5А", "s01")
    await poller.poll(app.ctx)
    read = app.clock.now()
    await provider.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the backup is the database file alone
    shutil.copyfile(path, tmp_path / "backup.sqlite3")
    for suffix in FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    caplog.set_level(logging.INFO, logger="bot.alerts.poller")
    for _ in range(6):
        app.clock.advance(hours=1)  # past any backoff
        assert await poller.poll(app.ctx) == 0
    [warning] = [w for w in stale_warnings(caplog) if repr(unit) in w]  # once, not at every failed poll
    assert "ProviderUnavailable" in warning
    state = app.ctx.poll
    assert state.read_at[unit] == read and state.last_success == read
    assert state.last_error is not None and state.last_error.error == "ProviderUnavailable"
    assert state.last_error.at == app.clock.now()

    shutil.copyfile(tmp_path / "backup.sqlite3", path)
    await add_grade_as_staff(path, app.clock, "5")
    app.clock.advance(hours=1)
    await poll_and_deliver(app)
    [message] = texts(parent)
    assert "Новая оценка" in message and "Математика: 5" in message
    assert state.last_success == state.read_at[unit] == app.clock.now()
    assert f"{unit!r} is read again" in caplog.text


async def test_a_file_swapped_with_its_side_files_is_read_again(app: App, tmp_path: Path) -> None:
    parent = await follow(app, 501, "p01", "parent")
    path = app.ctx.settings.demo_database_path
    await poller.poll(app.ctx)
    elsewhere = await copy_demo_school(tmp_path / "elsewhere" / "demo.sqlite3", app.clock)
    other = await DemoProvider.open(elsewhere, app.clock)  # open: its new grade is still in its WAL
    try:
        await commands.add_grade(other, "s01", "Математика", "4")
        for suffix in FILES:
            shutil.copyfile(f"{elsewhere}{suffix}", tmp_path / f"swap{suffix}")
    finally:
        await other.close()
    for suffix in FILES:
        (tmp_path / f"swap{suffix}").replace(f"{path}{suffix}")
    app.clock.advance(seconds=app.ctx.settings.poll_interval_seconds)
    await poll_and_deliver(app)
    [message] = texts(parent)
    assert "Математика: 4" in message
    await add_grade_as_staff(path, app.clock, "3")  # and what staff enter later, in the file now in place
    await poll_and_deliver(app)
    assert "Математика: 3" in texts(parent)[-1]
