"""The scheduler runs the features' jobs; a stop in the middle of a job is a clean stop."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.app import new_context
from bot.clock import SystemClock
from bot.features import Job
from bot.i18n import create_i18n
from bot.scheduler import start_scheduler
from tests.conftest import make_settings


def test_a_job_running_when_the_bot_stops_logs_no_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """SIGTERM ends asyncio.run, which cancels a poll still running: that is a normal stop (issue 11, item 13)."""
    caplog.set_level(logging.INFO)
    settings = make_settings(tmp_path)

    async def main() -> None:
        ctx = new_context(settings, SystemClock(settings.tz), create_i18n())
        started = asyncio.Event()

        async def long_poll(_ctx: object) -> None:
            started.set()
            await asyncio.Event().wait()  # an e-diary that takes its time

        scheduler = start_scheduler(ctx, [Job("poll", long_poll, every=lambda _: 3600)])
        await started.wait()
        scheduler.shutdown(wait=False)

    asyncio.run(main())  # leaves the job running: asyncio.run cancels it, as at a signal
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "job poll interrupted by shutdown" in caplog.text
