"""One class's complete poll answers -> stored state + alerts, all in one transaction.

A class is read whole (one answer) or, where the e-diary reads no classes, student by student (one answer per
followed student, each stored under its own scope). The first sync of a scope (timetable) or of a newly
followed student (grades) is a silent baseline. Timetable changes go out once per recipient and class, even
when two of their children in that class saw the same change.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.alerts.attendance import AttendancePlan, apply_attendance, plan_attendance
from bot.alerts.compare import Records, compare
from bot.alerts.detect import Change, ChangeKind, Diff
from bot.alerts.messages import render_grades, render_timetable
from bot.alerts.notify import content_hash, notify
from bot.alerts.subscribers import FollowedStudent, PollUnit, Recipient
from bot.context import AppContext
from bot.ediary.model import AttendanceMark, Grade, Homework, Lesson, LessonStatus, is_attendance_mark, to_json
from bot.ui import Translator
from storage import seen as seen_repo
from storage.seen import CLASS_SCOPE, SeenRecord


@dataclass
class Snapshot:
    """A complete answer of the e-diary for one poll unit (a failed or partial fetch never becomes one)."""

    grade_window: tuple[date, date]
    lesson_window: tuple[date, date]
    homework_window: tuple[date, date]
    grades: list[Grade]
    lessons: list[Lesson]
    homework: list[Homework]
    teacher_names: dict[str, str] = field(default_factory=dict)
    attendance_window: tuple[date, date] | None = None
    attendance: list[AttendanceMark] = field(default_factory=list)  # of attendance_window


@dataclass
class _Told:
    """The timetable changes of this sync for one recipient, each once."""

    recipient: Recipient
    changes: dict[tuple[str, str, str], Change] = field(default_factory=dict)


def _within(window: tuple[date, date], field_name: str) -> Callable[[SeenRecord], bool]:
    def check(record: SeenRecord) -> bool:
        return window[0] <= date.fromisoformat(record.payload[field_name]) <= window[1]

    return check


def lesson_payload(lesson: Lesson, names: dict[str, str]) -> dict[str, Any]:
    payload = to_json(lesson)
    payload["teacher_name"] = names.get(lesson.teacher_id or "")
    payload["original_teacher_name"] = names.get(lesson.original_teacher_id or "")
    return payload


def _lesson_payload(names: dict[str, str], lesson: Lesson) -> dict[str, Any]:
    return lesson_payload(lesson, names)


def _grade_id(grade: Grade) -> str:
    return grade.id


def _student_of(grade: Grade) -> str:
    return grade.student_id


def _lesson_key(lesson: Lesson) -> str:
    return lesson.key


def _homework_id(homework: Homework) -> str:
    return homework.id


@functools.lru_cache(maxsize=256)
def _attendance_value(value: str) -> bool:
    """Whether a mark records attendance (the few values there are, each looked at once)."""
    return is_attendance_mark(value)


async def sync_class(ctx: AppContext, class_name: str, answers: list[tuple[PollUnit, Snapshot]], now: datetime) -> int:
    """Record what the poll read of one class and queue its alerts atomically; returns outbox items queued.

    What was seen is read first and compared outside any transaction (only the poll writes it, one class at a
    time); a class in which nothing changed writes nothing at all."""
    local_now = now.astimezone(ctx.settings.tz)
    plans = [await _plan(ctx, unit, snap, now) for unit, snap in answers]
    if not any(plan.writes for plan in plans):
        return 0
    told: dict[int, _Told] = {}
    queued = 0
    async with ctx.database.transaction():
        for plan in plans:
            queued += await _apply(ctx, plan, told, now)
        for _, entry in sorted(told.items()):
            queued += await _timetable_alert(ctx, class_name, entry, local_now.date(), now)
    return queued


@dataclass
class _Plan:
    """One unit's comparison with what was seen: what to store and what to tell."""

    unit: PollUnit
    synced: set[str]  # students (and CLASS_SCOPE) whose first sync is done
    grades: Diff
    lessons: list[Change]  # worth telling (empty in the scope's first sync)
    records: dict[str, Diff]  # kind -> what to store, grades' included
    attendance: AttendancePlan | None
    new_baselines: list[str]

    @property
    def writes(self) -> bool:
        stores = any(d.upserts or d.deletes for d in self.records.values())
        return stores or bool(self.new_baselines) or (self.attendance is not None and self.attendance.writes)


async def _plan(ctx: AppContext, unit: PollUnit, snap: Snapshot, now: datetime) -> _Plan:
    db = ctx.database
    local_now = now.astimezone(ctx.settings.tz)
    synced = await seen_repo.baselined(db, unit.scope)
    students = unit.followed.students
    followed_grades = [
        g
        for g in snap.grades
        if g.student_id in students and not _attendance_value(g.value)  # absences aren't
    ]
    grades = Records(followed_grades, _grade_id, to_json, _student_of)
    within = _within(snap.grade_window, "date")

    def expected(record: SeenRecord) -> bool:  # an absence kept by an older version goes without a word
        return within(record) and not is_attendance_mark(record.payload["value"])

    lessons = Records(snap.lessons, _lesson_key, functools.partial(_lesson_payload, snap.teacher_names))
    homework = Records(snap.homework, _homework_id, to_json)
    records = {
        "grade": await compare(db, unit.scope, "grade", grades, expected, students),
        "lesson": await compare(db, unit.scope, "lesson", lessons, _within(snap.lesson_window, "date")),
        "homework": await compare(db, unit.scope, "homework", homework, _within(snap.homework_window, "due")),
    }
    worth = []
    if CLASS_SCOPE in synced:  # else: the scope's silent first sync
        worth = [c for c in records["lesson"].changes if _worth_telling(c, local_now.date(), local_now.time())]
    attendance = None
    if snap.attendance_window is not None:
        attendance = await plan_attendance(ctx, unit, snap.attendance, snap.attendance_window, now)
    new_baselines = [s for s in (CLASS_SCOPE, *students) if s not in synced]
    return _Plan(unit, synced, records["grade"], worth, records, attendance, new_baselines)


async def _apply(ctx: AppContext, plan: _Plan, told: dict[int, _Told], now: datetime) -> int:
    """Store one unit's comparison and queue its alerts; inside the class's transaction."""
    db, unit = ctx.database, plan.unit
    for kind, result in plan.records.items():
        await seen_repo.store(db, unit.scope, kind, result.upserts, result.deletes, now)
    by_student: dict[str, list[Change]] = defaultdict(list)
    for change in plan.grades.changes:
        if change.student_id in plan.synced:  # else: this student's silent first sync
            by_student[change.student_id].append(change)
    queued = 0
    for student_id, student_changes in sorted(by_student.items()):
        queued += await _grade_alerts(ctx, unit.followed.students[student_id], student_changes, now)
    _tell(told, unit, plan.lessons)
    if plan.attendance is not None:
        queued += await apply_attendance(ctx, unit, plan.attendance, now)
    await seen_repo.mark_baselined(db, unit.scope, plan.new_baselines, now)
    return queued


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


def _tell(told: dict[int, _Told], unit: PollUnit, changes: list[Change]) -> None:
    """Add a unit's timetable changes to its recipients' lists; a change two children saw is one change."""
    if not changes:
        return
    for recipient in unit.followed.recipients():
        if not recipient.prefs.alert_timetable:
            continue
        entry = told.setdefault(recipient.user_id, _Told(recipient))
        for change in changes:
            content = json.dumps(change.payload, sort_keys=True, ensure_ascii=False)
            entry.changes.setdefault((change.key, change.kind.value, content), change)


async def _timetable_alert(ctx: AppContext, class_name: str, told: _Told, today: date, now: datetime) -> int:
    changes = list(told.changes.values())
    notice = {"class_name": class_name, "changes": [_change_dict(c, "lesson") for c in changes]}
    what = sorted((c.key, c.kind.value, c.revision, c.payload["status"]) for c in changes)
    recipient = told.recipient
    return await notify(
        ctx,
        recipient,
        kind="timetable",
        notice=notice,
        now=now,
        render=lambda t: render_timetable(t, notice, today),
        dedupe_key=f"timetable:{recipient.user_id}:{content_hash(class_name, what)}",
    )
