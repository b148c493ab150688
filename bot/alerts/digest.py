"""Digest mode: grade, timetable and attendance alerts wait (storage/alerts.py) and go out as one daily summary at
the user's digest time. A user who switches back to immediate alerts gets what was waiting at once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.alerts.messages import render_attendance, render_digest_title, render_grades, render_timetable
from bot.alerts.subscribers import FollowedClass, recent_followed_classes
from bot.context import AppContext
from bot.delivery.queue import queue_as_lease_holder, queue_message
from bot.ediary.provider import ProviderError
from bot.i18n import pick_locale
from bot.ui import Translator
from storage import alerts as alerts_repo
from storage import preferences as prefs_repo
from storage import users as users_repo
from storage.alerts import DigestItem

log = logging.getLogger(__name__)


async def digest_job(ctx: AppContext) -> int:
    return await queue_as_lease_holder(ctx, send_due_digests)


async def send_due_digests(ctx: AppContext, now: datetime) -> int:
    """Queue each daily summary that is due (and everything waiting for users no longer in digest mode)."""
    db = ctx.database
    local = now.astimezone(ctx.settings.tz)
    waiting = await alerts_repo.users_with_digest_items(db)
    if not waiting:
        return 0
    try:
        classes = await recent_followed_classes(ctx)
    except ProviderError as exc:
        log.warning("alerts: summaries postponed, followers lookup failed (%s)", type(exc).__name__)
        return 0
    queued = 0
    for user_id in waiting:
        prefs = await prefs_repo.get_preferences(db, user_id)
        cutoff = last_summary_moment(local, prefs.digest_time) if prefs.digest_mode else None
        user = await users_repo.get_user(db, user_id)
        locale = pick_locale(user.language if user else None, user.telegram_language if user else None)
        async with db.transaction():
            items = await alerts_repo.digest_items(db, user_id, created_before=cutoff)
            stale = [item.id for item in items if not _still_followed(item, user_id, classes)]
            await alerts_repo.drop_digest_items(db, stale)
            items = [item for item in items if item.id not in stale]
            if not items:
                continue
            text = render_digest(Translator(ctx.i18n, locale), items, local.date())
            queued += await queue_message(
                ctx,
                user_id,
                prefs,
                kind="digest",
                text=text,
                now=now,
                dedupe_key=f"digest:{user_id}:{items[0].id}-{items[-1].id}",
            )
            await alerts_repo.drop_digest_items(db, [item.id for item in items])
    return queued


def _still_followed(item: DigestItem, user_id: int, classes: dict[str, FollowedClass]) -> bool:
    """An account unlinked since the alert was found gets nothing about that child or class."""
    notice = item.payload
    if item.kind in ("grades", "attendance"):
        return any(
            user_id in {r.user_id for r in c.students[notice["student_id"]].recipients}
            for c in classes.values()
            if notice["student_id"] in c.students
        )
    followed = classes.get(notice["class_name"])
    return followed is not None and any(r.user_id == user_id for r in followed.recipients())


def last_summary_moment(local: datetime, digest_time: time) -> datetime:
    """The latest scheduled summary at or before `local`: today's if its time has come, else yesterday's.
    A summary takes what was found before its moment; what comes later waits for the next one."""
    moment = datetime.combine(local.date(), digest_time, tzinfo=local.tzinfo)
    return moment if moment <= local else moment - timedelta(days=1)


def render_digest(t: Translator, items: list[DigestItem], today: date) -> str:
    """One summary: a student's grade notices merged into one section, their attendance into one, a class's
    timetable into one."""
    grades: dict[str, dict[str, Any]] = {}
    attendance: dict[str, dict[str, Any]] = {}
    timetables: dict[str, dict[str, Any]] = {}
    for item in items:
        notice = item.payload
        if item.kind == "grades":
            merged = grades.setdefault(notice["student_id"], {**notice, "changes": []})
            merged["changes"] = merged["changes"] + notice["changes"]
        elif item.kind == "attendance":
            merged = attendance.setdefault(notice["student_id"], {**notice, "marks": []})
            merged["marks"] = merged["marks"] + notice["marks"]
        else:
            merged = timetables.setdefault(notice["class_name"], {**notice, "changes": []})
            merged["changes"] = merged["changes"] + notice["changes"]
    sections = [render_digest_title(t, today)]
    sections += [render_grades(t, notice, for_student=bool(notice.get("for_student"))) for notice in grades.values()]
    sections += [
        render_attendance(t, notice, today, for_student=bool(notice.get("for_student")))
        for notice in attendance.values()
    ]
    sections += [render_timetable(t, notice, today) for notice in timetables.values()]
    return "\n\n".join(sections)


async def forget_alert_data(ctx: AppContext, user_id: int) -> None:
    """/forget: waiting summary items and reminder marks go with the user."""
    await alerts_repo.forget_user(ctx.database, user_id)
