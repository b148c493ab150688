"""APScheduler 3, started inside the running loop with the features' jobs. Jobs are plain async functions of
AppContext, so tests call them directly."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.context import AppContext
from bot.features import Job, JobFunc
from bot.observability import logcontext

log = logging.getLogger(__name__)


def _guarded(name: str, func: JobFunc, ctx: AppContext) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        with logcontext.for_job(name):
            started = time.perf_counter()
            try:
                await func(ctx)
            except asyncio.CancelledError:
                # the bot is stopping (SIGTERM, Ctrl+C) while the job runs: expected, not an error; what the
                # job had not committed is done again by the next start
                log.info("job %s interrupted by shutdown", name)
            except Exception:  # a failing job must not kill the scheduler; it runs again next time
                log.exception("job %s failed", name)
            else:
                ctx.metrics.job_finished(name, time.perf_counter() - started)

    return run


def start_scheduler(ctx: AppContext, jobs: Iterable[Job]) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone=ctx.settings.tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    count = 0
    for job in jobs:
        scheduler.add_job(
            _guarded(job.name, job.func, ctx),
            "interval",
            seconds=job.every(ctx.settings),
            id=job.name,
            name=job.name,
            next_run_time=ctx.clock.local_now(),
        )
        count += 1
    scheduler.start()
    log.info("scheduler started with %d job(s)", count)
    return scheduler
