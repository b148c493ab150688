"""What handlers/stats.py calls: the overview, for admins only (ADMIN_IDS)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.context import AppContext
from bot.ediary.model import Role
from bot.ediary.provider import EdiaryProvider, ProviderError, read_deadline
from storage import stats as stats_repo
from storage.stats import OutboxDepth

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClassJoined:
    name: str
    students: int
    students_joined: int  # linked as themselves
    families_joined: int  # students with at least one linked parent


@dataclass(frozen=True, slots=True)
class Overview:
    users_by_role: dict[str, int]
    classes: list[ClassJoined] | None  # None: the e-diary did not answer
    alerts_today: int
    alerts_week: int
    outbox: OutboxDepth
    last_poll: datetime | None
    failing_reads: int  # classes (or students) the poll cannot read now
    provider_errors: int  # failed e-diary calls since the bot started
    awaiting_messages: int
    awaiting_teachers: int


def is_admin(ctx: AppContext, user_id: int) -> bool:
    return user_id in ctx.settings.admin_ids


async def overview(ctx: AppContext, user_id: int) -> Overview | None:
    """None when this account is not an admin."""
    if not is_admin(ctx, user_id):
        return None
    db, now = ctx.database, ctx.clock.now()
    today = ctx.clock.today()
    day_start = datetime.combine(today, time(), ctx.settings.tz)
    week_start = day_start - timedelta(days=today.weekday())
    awaiting, teachers = await stats_repo.awaiting_teachers(db)
    return Overview(
        users_by_role=await stats_repo.linked_users_by_role(db),
        classes=await _classes(ctx),
        alerts_today=await stats_repo.sent_since(db, day_start),
        alerts_week=await stats_repo.sent_since(db, week_start),
        outbox=await stats_repo.outbox_depth(db, now),
        last_poll=ctx.poll.last_success,
        failing_reads=sum(1 for backoff in ctx.poll.backoffs.values() if backoff.failures),
        provider_errors=ctx.metrics.provider_errors_total(),
        awaiting_messages=awaiting,
        awaiting_teachers=teachers,
    )


async def _classes(ctx: AppContext) -> list[ClassJoined] | None:
    students = await stats_repo.linked_people(ctx.database, Role.STUDENT)
    parents = await stats_repo.linked_people(ctx.database, Role.PARENT)
    try:
        async with read_deadline():
            return await joined_by_class(ctx.reader, students, parents)
    except ProviderError as exc:
        log.warning("stats: e-diary unavailable (%s)", type(exc).__name__)
        return None


async def joined_by_class(
    provider: EdiaryProvider, linked_students: set[str], linked_parents: set[str]
) -> list[ClassJoined]:
    with_family: set[str] = set()
    for parent_id in sorted(linked_parents):  # one read per linked parent, never one per student
        with_family.update(child.id for child in await provider.children_of(parent_id))
    result = []
    for name in await provider.list_classes():
        ids = {student.id for student in await provider.class_students(name)}
        result.append(ClassJoined(name, len(ids), len(ids & linked_students), len(ids & with_family)))
    return result
