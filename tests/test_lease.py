"""Two bots on one database: only the lease holder sends; the other stands by and takes over when it must."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import new_context
from bot.context import AppContext
from bot.delivery.lease import LEASE_NAME, LEASE_TTL, RENEW_EVERY, hold_lease, release_lease
from bot.delivery.queue import wake
from bot.delivery.sender import deliver_due, run_sender
from storage import leases, outbox
from storage.db import Database
from tests.conftest import App
from tests.harness import MockedSession, eventually, make_bot
from tests.test_delivery import queue_text, texts

STANDBY = "another instance holds the lease; standing by"


@pytest.fixture(autouse=True)
def _logs_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.delivery")


@pytest.fixture
async def second(app: App) -> AsyncIterator[AppContext]:
    """Another bot process on the same database file, talking to the same Telegram."""
    db = await Database.open(app.ctx.settings.database_path)
    ctx = new_context(app.ctx.settings, app.clock, app.ctx.i18n)
    ctx.db, ctx.bot = db, make_bot(MockedSession(app.session.core))
    yield ctx
    await db.close()


async def test_only_the_lease_holder_sends_and_the_other_says_once_that_it_stands_by(
    app: App, second: AppContext, caplog
) -> None:
    assert await hold_lease(app.ctx)
    for chat in (1001, 1002, 1003):
        await queue_text(app, chat, "Математика: 5")

    for _ in range(3):
        assert await deliver_due(second) == 0
        app.clock.advance(RENEW_EVERY)
        assert await hold_lease(app.ctx)  # the holder keeps renewing
    assert second.bot.session.requests == []
    assert caplog.text.count(STANDBY) == 1

    assert await deliver_due(app.ctx) == 3
    assert all(texts(app, chat) == ["Математика: 5"] for chat in (1001, 1002, 1003))


async def test_the_standby_takes_over_at_once_when_the_holder_shuts_down(app: App, second: AppContext, caplog) -> None:
    assert await hold_lease(app.ctx)
    assert not await hold_lease(second)
    await queue_text(app, 1001, "Физика: 4")

    await release_lease(app.ctx)
    app.clock.advance(RENEW_EVERY)  # the standby's next look
    assert await deliver_due(second) == 1
    assert "lease released" in caplog.text and caplog.text.count("lease acquired") == 2
    assert texts(app, 1001) == ["Физика: 4"]
    assert not await hold_lease(app.ctx)  # the first one, started again, now waits in turn


async def test_the_standby_takes_over_when_the_holder_stops_renewing(app: App, second: AppContext, caplog) -> None:
    assert await hold_lease(app.ctx)
    await queue_text(app, 1001, "Русский язык: 5")

    app.clock.advance(LEASE_TTL - timedelta(seconds=1))  # the holder hangs or was killed: no more renewals
    assert await deliver_due(second) == 0
    app.clock.advance(RENEW_EVERY)  # expired by the standby's next look
    assert await deliver_due(second) == 1

    assert not await hold_lease(app.ctx)  # back from its hang, the old holder stands by
    assert caplog.text.count(STANDBY) == 2  # the second at first, then the first one
    assert await deliver_due(app.ctx) == 0


async def test_a_restarted_bot_need_not_wait_for_the_lease_of_its_dead_predecessor(app: App) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)
    assert dead_pid != os.getpid()
    await leases.acquire(app.db, LEASE_NAME, f"{socket.gethostname()}:{dead_pid}:0badcafe", app.clock.now(), LEASE_TTL)

    assert await hold_lease(app.ctx)


async def test_a_live_instance_on_another_host_keeps_its_lease(app: App) -> None:
    await leases.acquire(app.db, LEASE_NAME, "other-host:1:0badcafe", app.clock.now(), LEASE_TTL)
    assert not await hold_lease(app.ctx)
    await queue_text(app, 1001, "Математика: 5")
    assert await deliver_due(app.ctx) == 0


async def test_the_sender_task_delivers_when_woken_and_releases_the_lease_when_stopped(app: App, caplog) -> None:
    task = asyncio.create_task(run_sender(app.ctx))
    try:
        await queue_text(app, 1001, "Замена: физкультура вместо труда")
        wake(app.ctx)
        await eventually(lambda: texts(app, 1001), "the woken sender delivers")
        assert texts(app, 1001) == ["Замена: физкультура вместо труда"]
        assert (await leases.get_lease(app.db, LEASE_NAME)) is not None
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    assert task.cancelled()
    assert await leases.get_lease(app.db, LEASE_NAME) is None
    assert "lease released" in caplog.text
    assert (await outbox.status_counts(app.db)) == {"sent": 1}
