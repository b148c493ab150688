"""The demo school's attendance: who was absent from, or late for, which lesson.

For each student and lesson the first of these that has something wins:
- recorded by staff (`ediary-bot demo mark-absent`): the `attendance` table of the demo file, created on first
  use, so a demo file made before it still opens;
- the marks column: «н», «б», «оп»... given in the lesson (a real e-diary shows those as attendance too);
- generated for the school days before today, a pure function of the student and the date: now and then a
  spell of illness over a few days, a missed lesson a month or so, an occasional lateness with its minutes;
  never in a lesson in which the student got a mark. Today's are recorded as the day goes, not made up.

Ids are the lesson's, "a<YYYYMMDD>-<student>-<lesson number>": a lesson keeps its id whoever recorded it.
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

import aiosqlite

from bot.ediary.demo.school_calendar import is_school_day
from bot.ediary.model import (
    AbsenceReason,
    AttendanceKind,
    AttendanceMark,
    Lesson,
    LessonStatus,
    attendance_of_mark,
    is_attendance_mark,
)

if TYPE_CHECKING:
    from bot.ediary.demo.provider import DemoProvider

TABLE = """
CREATE TABLE IF NOT EXISTS attendance (
    student_id TEXT NOT NULL, date TEXT NOT NULL, lesson_number INTEGER NOT NULL,
    kind TEXT NOT NULL,                 -- 'absent' | 'late'
    minutes_late INTEGER, reason TEXT,  -- reason: 'illness' | 'excused' | 'unexcused' | NULL (not given)
    source TEXT NOT NULL DEFAULT 'manual',
    PRIMARY KEY (student_id, date, lesson_number))
"""

ILLNESS_START = 0.012  # per school day: a spell of illness begins (every lesson of 1-4 school days)
ILLNESS_DAYS = 4  # the longest spell
MISSED_LESSON = 0.04  # per school day: one lesson missed (a doctor, a competition, or truancy)
LATE = 0.05  # per school day: late, mostly for the first lesson
MISSED_REASONS = (AbsenceReason.EXCUSED, AbsenceReason.EXCUSED, AbsenceReason.UNEXCUSED, None)
MAX_MINUTES_LATE = 45  # a lesson's length


def mark_id(student_id: str, day: date, number: int) -> str:
    return f"a{day:%Y%m%d}-{student_id}-{number}"


_READY: weakref.WeakSet[aiosqlite.Connection] = weakref.WeakSet()  # connections that made sure of the table


async def ensure_table(conn: aiosqlite.Connection) -> None:
    """Idempotent and lock-free when the table exists (SQLite needs no write lock for that); once a connection
    (a file reopened after it was replaced gets a new one)."""
    if conn not in _READY:
        await conn.execute(TABLE)
        _READY.add(conn)


async def attendance(
    p: DemoProvider, class_id: str, student_ids: Iterable[str], start: date, end: date
) -> list[AttendanceMark]:
    """The attendance marks of these students (all of one class) over [start, end], by date and lesson."""
    students = sorted(set(student_ids))
    if not students:
        return []
    lessons = [x for x in await p.lessons([class_id], start, end) if x.status != LessonStatus.CANCELLED]
    await ensure_table(p.conn)  # after lessons(): it reopens a file replaced on disk
    by_slot = {(x.date, x.number): x for x in lessons}
    by_id = {x.id: x for x in lessons}
    marks_column = await _marks_column(p, students, start, end)
    found: dict[tuple[str, date, int], AttendanceMark] = {}
    graded = {  # a student who got a real mark in a lesson was there
        (s, by_id[lesson].date, by_id[lesson].number)
        for s, lesson, value in marks_column
        if lesson in by_id and not is_attendance_mark(value)
    }
    today = p.clock.today()
    days: dict[date, list[Lesson]] = {}
    for past in (x for x in lessons if x.date < today):
        days.setdefault(past.date, []).append(past)
    for student_id in students:
        for day, held in days.items():
            for mark in generated(student_id, day, held):
                if (student_id, day, mark.lesson_number) not in graded:
                    found[(student_id, day, mark.lesson_number)] = mark
    for student_id, lesson_id, value in marks_column:
        recorded = attendance_of_mark(value)
        given_in = by_id.get(lesson_id or "")
        if recorded is not None and given_in is not None:
            kind, reason = recorded
            found[(student_id, given_in.date, given_in.number)] = _mark(student_id, given_in, kind, None, reason)
    for student_id, day, number, kind, minutes, reason in await _recorded(p, students, start, end):
        slot = by_slot.get((day, number))
        if slot is not None:  # a lesson cancelled since: nobody was absent from it
            found[(student_id, day, number)] = _mark(student_id, slot, kind, minutes, reason)
    return sorted(found.values(), key=lambda m: (m.date, m.lesson_number, m.student_id))


def generated(student_id: str, day: date, lessons: list[Lesson]) -> list[AttendanceMark]:
    """The made-up attendance of one student on one past school day (`lessons`: those held that day)."""
    if not lessons:
        return []
    held = sorted(lessons, key=lambda x: x.number)
    if _ill(student_id, day):
        return [_mark(student_id, x, AttendanceKind.ABSENT, None, AbsenceReason.ILLNESS) for x in held]
    rng = random.Random(f"demo|attendance|{student_id}|{day.isoformat()}")
    marks: dict[int, AttendanceMark] = {}
    if rng.random() < MISSED_LESSON:
        lesson = rng.choice(held)
        marks[lesson.number] = _mark(student_id, lesson, AttendanceKind.ABSENT, None, rng.choice(MISSED_REASONS))
    if rng.random() < LATE:
        lesson = held[0] if rng.random() < 0.7 else rng.choice(held)
        minutes = rng.randint(2, 20)
        marks.setdefault(lesson.number, _mark(student_id, lesson, AttendanceKind.LATE, minutes, None))
    return [marks[n] for n in sorted(marks)]


def _ill(student_id: str, day: date) -> bool:
    """A spell of illness that began on this school day or one of the few before it still lasts."""
    back, day_back = 0, day
    while back < ILLNESS_DAYS and (day - day_back).days <= 3 * ILLNESS_DAYS:
        if is_school_day(day_back):
            rng = random.Random(f"demo|illness|{student_id}|{day_back.isoformat()}")
            if rng.random() < ILLNESS_START and rng.randint(1, ILLNESS_DAYS) > back:
                return True
            back += 1
        day_back -= timedelta(days=1)
    return False


def _mark(
    student_id: str, lesson: Lesson, kind: AttendanceKind, minutes: int | None, reason: AbsenceReason | None
) -> AttendanceMark:
    return AttendanceMark(
        mark_id(student_id, lesson.date, lesson.number),
        student_id,
        lesson.date,
        lesson.number,
        lesson.subject,
        kind,
        minutes_late=minutes if kind == AttendanceKind.LATE else None,
        reason=reason if kind == AttendanceKind.ABSENT else None,
        lesson_id=lesson.id,
    )


async def _marks_column(
    p: DemoProvider, students: list[str], start: date, end: date
) -> list[tuple[str, str | None, str]]:
    """(student, lesson id, value) of every mark in range: attendance values, and marks that rule absence out."""
    marks = ",".join("?" * len(students))
    sql = f"SELECT student_id, lesson_id, value FROM grades WHERE student_id IN ({marks}) AND date BETWEEN ? AND ?"
    rows = await p.file.read(sql, (*students, start.isoformat(), end.isoformat()))
    return [(r[0], r[1], r[2]) for r in rows]


async def _recorded(
    p: DemoProvider, students: list[str], start: date, end: date
) -> list[tuple[str, date, int, AttendanceKind, int | None, AbsenceReason | None]]:
    marks = ",".join("?" * len(students))
    sql = (
        "SELECT student_id, date, lesson_number, kind, minutes_late, reason FROM attendance"
        f" WHERE student_id IN ({marks}) AND date BETWEEN ? AND ?"
    )
    rows = await p.file.read(sql, (*students, start.isoformat(), end.isoformat()))
    return [
        (s, date.fromisoformat(d), n, AttendanceKind(k), m, AbsenceReason(r) if r else None)
        for s, d, n, k, m, r in rows
    ]


# --- recorded by staff ------------------------------------------------------------------------------


async def mark_absent(
    p: DemoProvider,
    *,
    student_id: str,
    day: date,
    number: int,
    minutes_late: int | None = None,
    reason: AbsenceReason | None = None,
) -> AttendanceMark:
    """`ediary-bot demo mark-absent`: absent from (or, with `minutes_late`, late for) one lesson; a mark recorded
    for that lesson before is replaced."""
    from bot.ediary.demo.commands import DemoCommandError  # here: commands imports the provider, which imports us

    class_id = p.directory.student_class.get(student_id)
    if class_id is None:
        raise DemoCommandError(f"unknown student {student_id!r}")
    if day > p.clock.today():
        raise DemoCommandError(f"{day.isoformat()} is in the future: attendance is recorded at the lesson")
    if not is_school_day(day):
        raise DemoCommandError(f"{day.isoformat()} is not a school day (weekend or holidays)")
    held = {x.number: x for x in await p.lessons([class_id], day, day) if x.status != LessonStatus.CANCELLED}
    if number not in held:
        numbers = ", ".join(str(n) for n in sorted(held)) or "none"
        label = f"{p.directory.class_name(class_id)} on {day.isoformat()}"
        raise DemoCommandError(f"{label} has no lesson {number} (lessons: {numbers})")
    if minutes_late is not None and not 1 <= minutes_late <= MAX_MINUTES_LATE:
        raise DemoCommandError(f"minutes late must be 1-{MAX_MINUTES_LATE}, got {minutes_late}")
    if minutes_late is not None and reason is not None:
        raise DemoCommandError("a reason goes with an absence, not with lateness")
    kind = AttendanceKind.ABSENT if minutes_late is None else AttendanceKind.LATE
    await ensure_table(p.conn)
    async with p.write() as conn:
        await conn.execute(
            "INSERT OR REPLACE INTO attendance (student_id, date, lesson_number, kind, minutes_late, reason, source)"
            " VALUES (?, ?, ?, ?, ?, ?, 'manual')",
            (student_id, day.isoformat(), number, kind.value, minutes_late, reason.value if reason else None),
        )
    return _mark(student_id, held[number], kind, minutes_late, reason)
