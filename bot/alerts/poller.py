"""The poll job: once per followed class, read grades, lessons and homework, and turn changes into alerts.

Only complete answers are compared: a provider error, a timeout or a truncated answer skips the class
(nothing recorded, no alert, no missing count advanced) and that class backs off, polling again after
a growing delay until the e-diary answers.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.alerts.class_sync import ClassSnapshot, sync_class
from bot.alerts.reminders import send_due_reminders
from bot.alerts.state import Backoff
from bot.alerts.subscribers import FollowedClass, followed_classes
from bot.context import AppContext
from bot.delivery import lease, queue
from bot.ediary.names import full_names
from bot.ediary.provider import ProviderError
from storage import seen as seen_repo

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 60.0  # one class's three reads; longer counts as an outage
HOMEWORK_DAYS_AHEAD = 7
PEOPLE = ""  # backoff key of the followers lookup (links -> students), before any class is read


async def poll(ctx: AppContext) -> int:
    """One round over every followed class; returns the number of alerts queued."""
    if not await lease.hold_lease(ctx):
        return 0
    now = ctx.clock.now()
    interval = timedelta(seconds=ctx.settings.poll_interval_seconds)
    state = ctx.poll.backoffs
    people = state.setdefault(PEOPLE, Backoff())
    if not people.ready(now):
        return 0
    try:
        classes = await followed_classes(ctx)
    except ProviderError as exc:
        delay = people.failed(now, interval)
        log.warning("alerts: followers lookup failed (%s), retry in %ds", type(exc).__name__, delay.total_seconds())
        return 0
    state[PEOPLE] = Backoff()
    await seen_repo.forget_unfollowed(ctx.database, {name: set(c.students) for name, c in classes.items()})
    queued = 0
    for name, followed in sorted(classes.items()):
        backoff = state.setdefault(name, Backoff())
        if not backoff.ready(now):
            continue
        try:
            snapshot = await fetch_class(ctx, followed, now)
        except (ProviderError, TimeoutError) as exc:
            delay = backoff.failed(now, interval)
            log.warning(
                "alerts: poll of class %s failed (%s), attempt %d, retry in %ds",
                name,
                type(exc).__name__,
                backoff.failures,
                delay.total_seconds(),
            )
            continue
        if backoff.failures:
            log.info("alerts: poll of class %s works again after %d failed attempt(s)", name, backoff.failures)
        state[name] = Backoff()
        ctx.provider_cache.poller_read(name)  # from now on the views show at least what this read saw
        queued += await sync_class(ctx, followed, snapshot, now)
    for name in [n for n in state if n not in classes and n != PEOPLE]:
        del state[name]
    queued += await send_due_reminders(ctx, now, classes)
    if queued:
        log.info("alerts: %d message(s) queued", queued)
        queue.wake(ctx)
    return queued


async def fetch_class(ctx: AppContext, followed: FollowedClass, now: datetime) -> ClassSnapshot:
    """Everything the poll compares, for one class, or an exception: never a partial answer."""
    provider = ctx.ediary  # fresh reads: the poll compares against what it saw last
    today = now.astimezone(ctx.settings.tz).date()
    grade_window = (today - timedelta(days=ctx.settings.grade_window_days), today)
    lesson_window = (today, today + timedelta(days=1))
    homework_window = (today, today + timedelta(days=HOMEWORK_DAYS_AHEAD))
    async with asyncio.timeout(FETCH_TIMEOUT_SECONDS):
        grades = await provider.class_grades(followed.name, *grade_window)
        lessons = await provider.class_lessons(followed.name, *lesson_window)
        homework = await provider.class_homework(followed.name, *homework_window)
        names = await full_names(
            provider, (t for lesson in lessons for t in (lesson.teacher_id, lesson.original_teacher_id))
        )
    return ClassSnapshot(followed.name, grade_window, lesson_window, homework_window, grades, lessons, homework, names)
