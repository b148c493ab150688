"""Absences and lateness as alerts: a poll unit's attendance of today (read through the e-diary's AttendanceSource,
or, from an e-diary without one, its attendance values in the marks column), compared with what was seen.

The same detection as grades: stable keys and fingerprints, a silent first sync of each followed student (of its
own: a student followed before this kind existed starts silent too), nothing from an incomplete answer (the
poller never gets here then). Only a lesson marked for the first time is told, once per lesson: a correction
(absent -> late) or a mark taken back says nothing. Parents hear it by default, students when they opt in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.alerts.compare import Records, compare
from bot.alerts.detect import Change, ChangeKind, Diff
from bot.alerts.messages import render_attendance
from bot.alerts.notify import content_hash, notify
from bot.alerts.subscribers import FollowedStudent, PollUnit
from bot.context import AppContext
from bot.ediary.model import AttendanceMark, Grade, Lesson, LessonStatus, attendance_of_mark, to_json
from bot.ui import Translator
from storage import seen as seen_repo
from storage.seen import ATTENDANCE, SeenRecord

KIND = "attendance"  # in alert_seen, the outbox and the daily summary


def from_marks_column(grades: Iterable[Grade], lessons: Iterable[Lesson], day: date) -> list[AttendanceMark]:
    """The attendance values («н», «оп»...) among `day`'s marks, as attendance marks keyed by the mark's id. Each
    is placed in the lesson it was given in, else in the day's first lesson of its subject; a mark that fits no
    lesson of the day is left out (an alert must say which lesson)."""
    held = sorted((x for x in lessons if x.date == day and x.status != LessonStatus.CANCELLED), key=lambda x: x.number)
    by_id = {x.id: x for x in held}
    marks = []
    for grade in grades:
        recorded = attendance_of_mark(grade.value)
        if recorded is None or grade.date != day:
            continue
        lesson = by_id.get(grade.lesson_id or "") or next((x for x in held if x.subject == grade.subject), None)
        if lesson is None:
            continue
        kind, reason = recorded
        marks.append(
            AttendanceMark(
                grade.id, grade.student_id, day, lesson.number, lesson.subject, kind, reason=reason, lesson_id=lesson.id
            )
        )
    return marks


@dataclass
class AttendancePlan:
    """A unit's attendance compared with what was seen: what to store, whom to tell, whose first sync is done."""

    result: Diff
    told: dict[str, list[Change]]  # student id -> lessons newly marked today
    new_baselines: list[str]

    @property
    def writes(self) -> bool:
        return bool(self.result.upserts or self.result.deletes or self.new_baselines)


async def plan_attendance(
    ctx: AppContext, unit: PollUnit, marks: list[AttendanceMark], window: tuple[date, date], now: datetime
) -> AttendancePlan:
    """Compare what was read of the unit's followed students with what was seen (nothing is written here)."""
    db = ctx.database
    students = unit.followed.students
    synced = await seen_repo.baselined(db, unit.scope, ATTENDANCE)
    observed = Records([m for m in marks if m.student_id in students], _mark_id, to_json, _student_of)

    def in_window(record: SeenRecord) -> bool:
        return window[0] <= date.fromisoformat(record.payload["date"]) <= window[1]

    result = await compare(db, unit.scope, KIND, observed, in_window, students)
    today = now.astimezone(ctx.settings.tz).date().isoformat()
    told: dict[str, list[Change]] = defaultdict(list)
    for change in result.changes:
        if change.kind == ChangeKind.NEW and change.student_id in synced and change.payload["date"] == today:
            told[change.student_id].append(change)
    return AttendancePlan(result, told, [s for s in students if s not in synced])


def _mark_id(mark: AttendanceMark) -> str:
    return mark.id


def _student_of(mark: AttendanceMark) -> str:
    return mark.student_id


async def apply_attendance(ctx: AppContext, unit: PollUnit, plan: AttendancePlan, now: datetime) -> int:
    """Store the comparison and queue the alerts; inside the poll's transaction."""
    db = ctx.database
    await seen_repo.store(db, unit.scope, KIND, plan.result.upserts, plan.result.deletes, now)
    await seen_repo.mark_baselined(db, unit.scope, plan.new_baselines, now, ATTENDANCE)
    queued = 0
    for student_id, changes in sorted(plan.told.items()):
        queued += await _alert(ctx, unit.followed.students[student_id], [c.payload for c in changes], now)
    return queued


async def _alert(ctx: AppContext, followed: FollowedStudent, marks: list[dict], now: datetime) -> int:
    """One message per recipient for a student's lessons newly marked in this poll."""
    person = followed.student.person
    notice = {
        "student_id": person.id,
        "student_name": person.short_name.split()[0],
        "student_sex": person.sex.value if person.sex else None,
        "marks": sorted(marks, key=lambda m: (m["date"], m["lesson_number"])),
    }
    lessons = sorted((m["date"], m["lesson_number"]) for m in marks)
    today = now.astimezone(ctx.settings.tz).date()
    queued = 0
    for recipient in followed.recipients:
        if not recipient.prefs.attendance_alerts(is_student=recipient.is_student):
            continue

        def render(t: Translator, is_student: bool = recipient.is_student) -> str:
            return render_attendance(t, notice, today, for_student=is_student)

        queued += await notify(
            ctx,
            recipient,
            kind=KIND,
            notice=notice,
            render=render,
            now=now,
            # the same lessons again (a mark taken back and given anew) are not told twice
            dedupe_key=f"{KIND}:{recipient.user_id}:{content_hash(person.id, lessons)}",
        )
    return queued
