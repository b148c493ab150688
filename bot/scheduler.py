"""APScheduler 3, started inside the running loop. Jobs are plain async functions of AppContext,
so tests call them directly."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.context import AppContext

log = logging.getLogger(__name__)

JobFunc = Callable[[AppContext], Awaitable[object]]

# Features append (name, job, seconds) here at import time of their module; see register_feature_jobs().
_INTERVAL_JOBS: list[tuple[str, JobFunc, Callable[[AppContext], float]]] = []


def interval_job(name: str, every: Callable[[AppContext], float]) -> Callable[[JobFunc], JobFunc]:
    """Declare a recurring job; `every(ctx)` gives its period in seconds from settings."""

    def decorate(func: JobFunc) -> JobFunc:
        _INTERVAL_JOBS.append((name, func, every))
        return func

    return decorate


def _guarded(name: str, func: JobFunc, ctx: AppContext) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await func(ctx)
        except Exception:  # a failing job must not kill the scheduler; it runs again next time
            log.exception("job %s failed", name)

    return run


def start_scheduler(ctx: AppContext) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone=ctx.settings.tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    for name, func, every in _INTERVAL_JOBS:
        scheduler.add_job(
            _guarded(name, func, ctx),
            "interval",
            seconds=every(ctx),
            id=name,
            name=name,
            next_run_time=ctx.clock.local_now(),
        )
    scheduler.start()
    log.info("scheduler started with %d job(s)", len(_INTERVAL_JOBS))
    return scheduler


# Long-running loops (the outbox sender) run as tasks beside the scheduler, cancelled at shutdown.
_BACKGROUND: list[tuple[str, JobFunc]] = []


def background_task(name: str) -> Callable[[JobFunc], JobFunc]:
    def decorate(func: JobFunc) -> JobFunc:
        _BACKGROUND.append((name, func))
        return func

    return decorate


def background_tasks() -> list[tuple[str, JobFunc]]:
    return list(_BACKGROUND)
