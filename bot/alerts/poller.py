"""The poll job: read each followed class (or, where the e-diary reads no classes, each followed student) and
turn changes into alerts.

Only complete answers are compared: a provider error, a timeout or a truncated answer skips that read
(nothing recorded, no alert, no missing count advanced) and it backs off, trying again after a growing delay
until the e-diary answers. A read that has found nothing for far longer than the poll interval is logged as a
warning once; how the reads stand is kept in ctx.poll for /healthz.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta

from bot.alerts.attendance import from_marks_column
from bot.alerts.class_sync import Snapshot, sync_class
from bot.alerts.reminders import send_due_reminders
from bot.alerts.state import Backoff, PollError, PollState, stale_after
from bot.alerts.subscribers import PollUnit, by_class, followed_classes, poll_units
from bot.context import AppContext
from bot.delivery import lease, queue
from bot.ediary.names import full_names
from bot.ediary.provider import ProviderError, attendance_source
from storage import seen as seen_repo

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 60.0  # one read (a class's calls, or a student's schedule and attendance); longer: an outage
HOMEWORK_DAYS_AHEAD = 7
PEOPLE = ""  # scope of the followers lookup (links -> students), before anything is read


async def poll(ctx: AppContext) -> int:
    """One round over every followed class; returns the number of alerts queued."""
    if not await lease.hold_lease(ctx):
        return 0
    now = ctx.clock.now()
    interval = timedelta(seconds=ctx.settings.poll_interval_seconds)
    state = ctx.poll
    people = state.backoffs.setdefault(PEOPLE, Backoff())
    if not people.ready(now):
        return 0
    try:
        classes = await followed_classes(ctx)
    except ProviderError as exc:
        delay = people.failed(now, interval)
        log.warning("alerts: followers lookup failed (%s), retry in %ds", type(exc).__name__, delay.total_seconds())
        _failed(state, PEOPLE, exc, now, interval)
        return 0
    state.backoffs[PEOPLE] = Backoff()
    _succeeded(state, PEOPLE, now)
    units = poll_units(classes, class_reads=ctx.ediary.capabilities.class_reads)
    # forget what nobody follows any more, when who follows what changed since this instance last did (another
    # instance may have polled while this one stood by: a new term of the lease counts as a change)
    followed = (ctx.lease.term, {scope: frozenset(u.followed.students) for scope, u in units.items()})
    if followed != state.trimmed_to:
        await seen_repo.forget_unfollowed(
            ctx.database, {scope: set(students) for scope, students in followed[1].items()}
        )
        state.trimmed_to = followed
    queued = read = unread = 0
    async with contextlib.aclosing(_read_classes(ctx, units, now, interval)) as answered:
        async for class_name, answers, missed in answered:
            unread += missed
            if answers:
                read += len(answers)
                queued += await sync_class(ctx, class_name, answers, now)
    for scope in [s for s in state.backoffs if s not in units and s != PEOPLE]:
        del state.backoffs[scope]
    state.read_at = {scope: at for scope, at in state.read_at.items() if scope in units or scope == PEOPLE}
    state.stale &= set(units) | {PEOPLE}
    if read or not unread:  # the e-diary answered (or nothing is followed)
        state.last_success = now
    queued += await send_due_reminders(ctx, now, units)
    if queued:
        log.info("alerts: %d message(s) queued", queued)
        queue.wake(ctx)
    return queued


async def _read_classes(
    ctx: AppContext, units: dict[str, PollUnit], now: datetime, interval: timedelta
) -> AsyncGenerator[tuple[str, list[tuple[PollUnit, Snapshot]], int]]:
    """Each class's answers (and how many of its reads failed or wait for their backoff), class by class in order.

    Reads run ahead of the comparing, POLL_CONCURRENCY of them at once, over the next POLL_CONCURRENCY classes:
    an e-diary far away is waited for in parallel, and only those classes' answers are held at a time."""
    bound = asyncio.Semaphore(ctx.settings.poll_concurrency)

    async def read_unit(unit: PollUnit) -> Snapshot | None:
        backoff = ctx.poll.backoffs.setdefault(unit.scope, Backoff())
        if not backoff.ready(now):
            return None
        async with bound:
            return await _read(ctx, unit, backoff, now, interval)

    async def read_class(class_name: str, group: list[PollUnit]) -> tuple[list[tuple[PollUnit, Snapshot]], int]:
        snapshots = await asyncio.gather(*(read_unit(unit) for unit in group))
        answers = [(unit, snap) for unit, snap in zip(group, snapshots, strict=True) if snap is not None]
        if answers:
            ctx.provider_cache.poller_read(class_name)  # from now on the views show at least what was read
        return answers, len(group) - len(answers)

    classes = iter(by_class(units.values()).items())
    ahead: deque[tuple[str, asyncio.Task[tuple[list[tuple[PollUnit, Snapshot]], int]]]] = deque()
    try:
        while True:
            while len(ahead) < ctx.settings.poll_concurrency and (upcoming := next(classes, None)) is not None:
                ahead.append((upcoming[0], asyncio.create_task(read_class(*upcoming))))
            if not ahead:
                return
            class_name, reading = ahead.popleft()
            answers, missed = await reading
            yield class_name, answers, missed
    finally:
        for _, reading in ahead:  # a failure or a stop: nothing reads on behind the poll's back
            reading.cancel()
        await asyncio.gather(*(reading for _, reading in ahead), return_exceptions=True)


async def _read(
    ctx: AppContext, unit: PollUnit, backoff: Backoff, now: datetime, interval: timedelta
) -> Snapshot | None:
    """The unit's snapshot, or None: it failed (logged, and backed off)."""
    state = ctx.poll
    try:
        snapshot = await fetch(ctx, unit, now)
    except (ProviderError, TimeoutError) as exc:
        delay = backoff.failed(now, interval)
        log.warning(
            "alerts: poll of %s failed (%s), attempt %d, retry in %ds",
            _what(unit),
            type(exc).__name__,
            backoff.failures,
            delay.total_seconds(),
        )
        _failed(state, unit.scope, exc, now, interval)
        return None
    if backoff.failures:
        log.info("alerts: poll of %s works again after %d failed attempt(s)", _what(unit), backoff.failures)
    state.backoffs[unit.scope] = Backoff()
    _succeeded(state, unit.scope, now)
    return snapshot


def _what(unit: PollUnit) -> str:
    # a student by id only: logs carry no names
    return f"class {unit.class_name}" if unit.student_id is None else f"student {unit.student_id} ({unit.class_name})"


def _failed(state: PollState, scope: str, exc: BaseException, now: datetime, interval: timedelta) -> None:
    state.last_error = PollError(now, scope, type(exc).__name__)
    since = state.silent_since(scope)
    if since is not None and now - since >= stale_after(interval) and scope not in state.stale:
        state.stale.add(scope)
        minutes = (now - since).total_seconds() // 60
        what = "the followers lookup" if scope == PEOPLE else repr(scope)
        log.warning(
            "alerts: nothing read for %s for %d minutes (poll interval %ds): the e-diary keeps failing (%s);"
            " no alert can be found until it answers",
            what,
            minutes,
            interval.total_seconds(),
            type(exc).__name__,
        )


def _succeeded(state: PollState, scope: str, now: datetime) -> None:
    state.read_at[scope] = now
    if scope in state.stale:
        state.stale.discard(scope)
        log.info("alerts: %s is read again", "the followers lookup" if scope == PEOPLE else repr(scope))


async def fetch(ctx: AppContext, unit: PollUnit, now: datetime) -> Snapshot:
    """Everything the poll compares, for one unit, or an exception: never a partial answer."""
    provider = ctx.ediary  # fresh reads: the poll compares against what it saw last
    today = now.astimezone(ctx.settings.tz).date()
    grade_window = (today - timedelta(days=ctx.settings.grade_window_days), today)
    lesson_window = (today, today + timedelta(days=1))
    homework_window = (today, today + timedelta(days=HOMEWORK_DAYS_AHEAD))
    attendance_window = (today, today)  # alerts are about today's lessons
    source = attendance_source(provider)
    async with asyncio.timeout(FETCH_TIMEOUT_SECONDS):
        if unit.student_id is None and not provider.capabilities.schedule_reads:
            grades = await provider.class_grades(unit.class_name, *grade_window)
            lessons = await provider.class_lessons(unit.class_name, *lesson_window)
            homework = await provider.class_homework(unit.class_name, *homework_window)
        else:  # one call: the lessons, homework and grades (a student's own) over all three windows
            span = (grade_window[0], homework_window[1])
            if unit.student_id is None:
                schedule = await provider.class_schedule(unit.class_name, *span)
            else:
                schedule = await provider.student_schedule(unit.student_id, *span)
            grades = [g for g in schedule.grades if grade_window[0] <= g.date <= grade_window[1]]
            lessons = [x for x in schedule.lessons if lesson_window[0] <= x.date <= lesson_window[1]]
            homework = [h for h in schedule.homework if homework_window[0] <= h.due <= homework_window[1]]
        if source is None:  # an e-diary that records absences only as marks («н», «оп»)
            attendance = from_marks_column(grades, lessons, today)
        elif unit.student_id is None:
            attendance = await source.class_attendance(unit.class_name, *attendance_window)
        else:
            attendance = await source.student_attendance(unit.student_id, *attendance_window)
        names = await full_names(
            provider, (t for lesson in lessons for t in (lesson.teacher_id, lesson.original_teacher_id))
        )
    return Snapshot(
        grade_window, lesson_window, homework_window, grades, lessons, homework, names, attendance_window, attendance
    )
