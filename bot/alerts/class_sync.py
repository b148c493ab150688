"""One class's complete poll answer -> stored state + alerts, all in one transaction.

The first sync of a class (timetable) or of a newly followed student (grades) is a silent baseline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.alerts.detect import Change, ChangeKind, Observed, diff
from bot.alerts.messages import render_grades, render_timetable
from bot.alerts.notify import content_hash, notify
from bot.alerts.subscribers import FollowedClass, FollowedStudent
from bot.context import AppContext
from bot.ediary.model import Grade, Homework, Lesson, LessonStatus, is_attendance_mark, to_json
from bot.ui import Translator
from storage import seen as seen_repo
from storage.seen import CLASS_SCOPE, SeenRecord


@dataclass
class ClassSnapshot:
    """A complete answer of the e-diary for one class (a failed or partial fetch never becomes one)."""

    class_name: str
    grade_window: tuple[date, date]
    lesson_window: tuple[date, date]
    homework_window: tuple[date, date]
    grades: list[Grade]
    lessons: list[Lesson]
    homework: list[Homework]
    teacher_names: dict[str, str] = field(default_factory=dict)


def _within(window: tuple[date, date], field_name: str) -> Callable[[SeenRecord], bool]:
    def check(record: SeenRecord) -> bool:
        return window[0] <= date.fromisoformat(record.payload[field_name]) <= window[1]

    return check


def lesson_payload(lesson: Lesson, names: dict[str, str]) -> dict[str, Any]:
    payload = to_json(lesson)
    payload["teacher_name"] = names.get(lesson.teacher_id or "")
    payload["original_teacher_name"] = names.get(lesson.original_teacher_id or "")
    return payload


async def sync_class(ctx: AppContext, followed: FollowedClass, snap: ClassSnapshot, now: datetime) -> int:
    """Record what the poll saw and queue its alerts atomically; returns outbox items queued."""
    db = ctx.database
    async with db.transaction():
        synced = await seen_repo.baselined(db, followed.name)
        queued = await _sync_grades(ctx, followed, snap, synced, now)
        queued += await _sync_lessons(ctx, followed, snap, CLASS_SCOPE in synced, now)
        homework = [Observed(h.id, h.fingerprint(), to_json(h)) for h in snap.homework]
        await _store_diff(ctx, followed.name, "homework", homework, _within(snap.homework_window, "due"), now)
        await seen_repo.mark_baselined(db, followed.name, [CLASS_SCOPE, *followed.students], now)
    return queued


async def _store_diff(
    ctx: AppContext,
    class_name: str,
    kind: str,
    observed: list[Observed],
    in_window: Callable[[SeenRecord], bool],
    now: datetime,
    students: Collection[str] | None = None,
) -> list[Change]:
    """Compare with what is stored (of these students only, for grades), store the result, return the changes."""
    seen = await seen_repo.load(ctx.database, class_name, kind)
    if students is not None:
        seen = [r for r in seen if r.student_id in students]
    result = diff(seen, observed, in_window=in_window)
    await seen_repo.store(ctx.database, class_name, kind, result.upserts, result.deletes, now)
    return result.changes


async def _sync_grades(
    ctx: AppContext, followed: FollowedClass, snap: ClassSnapshot, synced: set[str], now: datetime
) -> int:
    observed = [
        Observed(g.id, g.fingerprint(), to_json(g), g.student_id)
        for g in snap.grades
        if g.student_id in followed.students and not g.is_attendance  # an absence is not a grade
    ]
    within = _within(snap.grade_window, "date")

    def expected(record: SeenRecord) -> bool:  # an absence kept by an older version goes without a word
        return within(record) and not is_attendance_mark(record.payload["value"])

    changes = await _store_diff(ctx, followed.name, "grade", observed, expected, now, students=followed.students)
    by_student: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        if change.student_id in synced:  # else: this student's silent first sync
            by_student[change.student_id].append(change)
    queued = 0
    for student_id, student_changes in sorted(by_student.items()):
        queued += await _grade_alerts(ctx, followed.students[student_id], student_changes, now)
    return queued


async def _sync_lessons(
    ctx: AppContext, followed: FollowedClass, snap: ClassSnapshot, class_synced: bool, now: datetime
) -> int:
    observed = [
        Observed(lesson.key, lesson.fingerprint(), lesson_payload(lesson, snap.teacher_names))
        for lesson in snap.lessons
    ]
    changes = await _store_diff(ctx, followed.name, "lesson", observed, _within(snap.lesson_window, "date"), now)
    if not class_synced:  # the class's silent first sync
        return 0
    local_now = now.astimezone(ctx.settings.tz)
    worth = [c for c in changes if _worth_telling(c, local_now.date(), local_now.time())]
    return await _timetable_alerts(ctx, followed, worth, local_now.date(), now) if worth else 0


def _change_dict(change: Change, field_name: str) -> dict[str, Any]:
    return {"kind": change.kind.value, field_name: change.payload, "old": change.old_payload}


async def _grade_alerts(ctx: AppContext, followed: FollowedStudent, changes: list[Change], now: datetime) -> int:
    """One message per recipient for all of a student's changes found in this poll."""
    changes.sort(key=lambda c: (c.payload["date"], c.payload["subject"], c.key))
    notice = {
        "student_id": followed.student.id,
        "student_name": followed.student.person.short_name,
        "changes": [_change_dict(c, "grade") for c in changes],
    }
    what = [(c.key, c.kind.value, c.revision) for c in changes]
    queued = 0
    for recipient in followed.recipients:
        if not recipient.prefs.alert_grades:
            continue

        def render(t: Translator, is_student: bool = recipient.is_student) -> str:
            return render_grades(t, notice, for_student=is_student)

        queued += await notify(
            ctx,
            recipient,
            kind="grades",
            notice=notice,
            render=render,
            now=now,
            dedupe_key=f"grades:{recipient.user_id}:{content_hash(followed.student.id, what)}",
        )
    return queued


def _worth_telling(change: Change, today: date, now_time: time) -> bool:
    lesson = change.payload
    if date.fromisoformat(lesson["date"]) == today and time.fromisoformat(lesson["end"]) <= now_time:
        return False  # already over: news about it helps nobody
    if change.kind == ChangeKind.NEW:
        return lesson["status"] != LessonStatus.NORMAL  # a normal lesson entering the window is no news
    return True


async def _timetable_alerts(
    ctx: AppContext, followed: FollowedClass, changes: list[Change], today: date, now: datetime
) -> int:
    notice = {"class_name": followed.name, "changes": [_change_dict(c, "lesson") for c in changes]}
    what = sorted((c.key, c.kind.value, c.revision, c.payload["status"]) for c in changes)
    queued = 0
    for recipient in followed.recipients():
        if not recipient.prefs.alert_timetable:
            continue
        queued += await notify(
            ctx,
            recipient,
            kind="timetable",
            notice=notice,
            now=now,
            render=lambda t: render_timetable(t, notice, today),
            dedupe_key=f"timetable:{recipient.user_id}:{content_hash(followed.name, what)}",
        )
    return queued
