"""Deadline reminders: the evening before homework is due, at each user's reminder time (default 18:00).

Each homework is reminded once per user: students by default, parents when they opt in. Homework that
appears after the reminder time for the next day is reminded at once. Homework the student ticked as done in
/homework is left out (for a parent: once each of their children it is set for ticked it). The homework comes
from what the poller last saw (storage/seen.py), so this job never waits on the e-diary for the homework itself.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from bot.alerts.messages import render_reminder
from bot.alerts.notify import content_hash
from bot.alerts.subscribers import (
    PollUnit,
    Recipient,
    by_class,
    current_preferences,
    recent_poll_units,
    unique_recipients,
)
from bot.context import AppContext
from bot.delivery.queue import queue_as_lease_holder, queue_message
from bot.ediary.provider import ProviderError
from bot.ui import Translator
from storage import alerts as alerts_repo
from storage import homework_ticks as ticks_repo
from storage import preferences as prefs_repo
from storage import seen as seen_repo
from storage.preferences import Preferences

log = logging.getLogger(__name__)


async def reminders_job(ctx: AppContext) -> int:
    return await queue_as_lease_holder(ctx, send_due_reminders)


async def send_due_reminders(ctx: AppContext, now: datetime, units: dict[str, PollUnit] | None = None) -> int:
    """Queue every reminder that is due now; returns how many messages were queued."""
    db = ctx.database
    local = now.astimezone(ctx.settings.tz)
    due = local.date() + timedelta(days=1)
    await alerts_repo.prune_reminders(db, before=local.date())
    await ticks_repo.prune(db, before=local.date())
    homework = await seen_repo.homework_due(db, due)  # by scope: a class, or a student's own read
    if not homework or local.time() < await prefs_repo.earliest_reminder_time(db):
        return 0  # nothing due tomorrow, or nobody's reminder time has come yet
    if units is None:
        try:
            units = await recent_poll_units(ctx)
        except ProviderError as exc:
            log.warning("alerts: reminders postponed, followers lookup failed (%s)", type(exc).__name__)
            return 0
    sent = await alerts_repo.reminded_on(db, due)
    settings = await current_preferences(ctx)  # as set a moment ago
    queued = 0
    for class_name, group in by_class(u for u in units.values() if u.scope in homework).items():
        for recipient in unique_recipients(s for unit in group for s in unit.followed.students.values()):
            prefs = settings.get(recipient.user_id, Preferences())
            already = sent.get(recipient.user_id, set())
            queued += await _remind(ctx, recipient, prefs, class_name, group, homework, due, now, already)
    return queued


async def _remind(
    ctx: AppContext,
    recipient: Recipient,
    prefs: Preferences,
    class_name: str,
    group: list[PollUnit],
    homework: dict[str, list[dict[str, Any]]],
    due: date,
    now: datetime,
    already: set[str],
) -> int:
    """One reminder of a class's homework due tomorrow that this recipient was not reminded of yet: what the
    reads of the students they follow saw (the same homework seen for two children counts once). `already`:
    what they were reminded of when this run began (the transaction below looks again)."""
    db = ctx.database
    theirs = [
        student
        for unit in group
        for student in unit.followed.students.values()
        if any(r.user_id == recipient.user_id for r in student.recipients)
    ]
    items = {
        item["id"]: item
        for unit in group
        if any(s.student.id in unit.followed.students for s in theirs)
        for item in homework[unit.scope]
    }
    local = now.astimezone(ctx.settings.tz)
    if not prefs.homework_alerts(is_student=recipient.is_student) or local.time() < prefs.reminder_time:
        return 0
    if items.keys() <= already:
        return 0
    ticks = await ticks_repo.ticked(db, [s.student.id for s in theirs])
    items = {i: item for i, item in items.items() if not all((s.student.id, i) in ticks for s in theirs)}
    async with db.transaction():
        done = await alerts_repo.reminded(db, recipient.user_id, due)
        fresh = [item for item_id, item in items.items() if item_id not in done]
        if not fresh:
            return 0
        for item in fresh:
            await alerts_repo.mark_reminded(db, recipient.user_id, item["id"], due, now)
        names = None if recipient.is_student else ", ".join(s.student.person.short_name for s in theirs)
        text = render_reminder(Translator(ctx.i18n, recipient.locale), fresh, due, student_name=names)
        key = content_hash(class_name, sorted(h["id"] for h in fresh))
        return await queue_message(
            ctx,
            recipient.user_id,
            prefs,
            kind="homework",
            text=text,
            now=now,
            dedupe_key=f"homework:{recipient.user_id}:{due.isoformat()}:{key}",
        )
