"""Admin changes to the demo school (used by `ediary-bot demo ...`): validate everything, then write once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import aiosqlite

from bot.ediary.demo.lessons import OVERRIDE_COLUMNS, Override
from bot.ediary.demo.provider import GRADE_SELECT, DemoProvider
from bot.ediary.demo.school_calendar import BELLS, is_school_day
from bot.ediary.model import Grade, Homework, Lesson, LessonStatus, Role, parse_grade_value

DEFAULT_WORK_TYPE = "Ответ на уроке"


class DemoCommandError(Exception):
    """A bad argument; the message is one line for the admin."""


async def add_grade(
    p: DemoProvider,
    student_id: str,
    subject: str,
    value: str,
    day: date | None = None,
    work_type: str | None = None,
    weight: float | None = None,
    comment: str | None = None,
) -> Grade:
    d = p.directory
    class_id = d.student_class.get(student_id)
    if class_id is None:
        raise DemoCommandError(f"unknown student {student_id!r}")
    subject_id = _class_subject(p, class_id, subject)
    value = _check_value(value)
    work_type = work_type.strip() if work_type and work_type.strip() else DEFAULT_WORK_TYPE
    weight = d.work_types.get(work_type, 1.0) if weight is None else weight
    if weight <= 0:
        raise DemoCommandError(f"weight must be positive, got {weight:g}")
    day = day or p.clock.today()
    # the teacher is the class's teacher of the subject; link the day's lesson of the subject if there is one
    lessons = await p.lessons([class_id], day, day)
    lesson = next(
        (
            lesson
            for lesson in lessons
            if lesson.subject == d.subjects[subject_id] and lesson.status != LessonStatus.CANCELLED
        ),
        None,
    )
    async with p.write() as conn:
        grade_id = f"gm{await _next_manual_id(conn)}"
        await conn.execute(
            "INSERT INTO grades (id, student_id, class_id, subject_id, value, weight, work_type, date, comment, "
            "teacher_id, lesson_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual')",
            (
                grade_id,
                student_id,
                class_id,
                subject_id,
                value,
                weight,
                work_type,
                day.isoformat(),
                comment or None,
                d.teaching[(class_id, subject_id)],
                lesson.id if lesson else None,
            ),
        )
    return await _grade(p, grade_id)


async def change_grade(p: DemoProvider, grade_id: str, value: str) -> Grade:
    await _grade(p, grade_id)
    value = _check_value(value)
    async with p.write() as conn:
        await conn.execute("UPDATE grades SET value = ? WHERE id = ?", (value, grade_id))
    return await _grade(p, grade_id)


async def delete_grade(p: DemoProvider, grade_id: str) -> Grade:
    grade = await _grade(p, grade_id)
    async with p.write() as conn:
        await conn.execute("DELETE FROM grades WHERE id = ?", (grade_id,))
    return grade


async def add_homework(p: DemoProvider, class_name: str, subject: str, due: date, text: str) -> Homework:
    class_id = _class(p, class_name)
    subject_id = _class_subject(p, class_id, subject)
    if not text.strip():
        raise DemoCommandError("homework text is empty")
    today = p.clock.today()
    async with p.write() as conn:
        homework_id = f"hm{await _next_manual_id(conn)}"
        await conn.execute(
            "INSERT INTO homework (id, class_id, subject_id, text, due, assigned, source) "
            "VALUES (?, ?, ?, ?, ?, ?, 'manual')",
            (homework_id, class_id, subject_id, text.strip(), due.isoformat(), today.isoformat()),
        )
    return Homework(
        homework_id, p.directory.class_name(class_id), p.directory.subjects[subject_id], text.strip(), due, today
    )


async def change_lesson(
    p: DemoProvider,
    class_name: str,
    day: date,
    number: int,
    *,
    teacher: str | None = None,
    room: str | None = None,
    cancel: bool = False,
    add_subject: str | None = None,
    reason: str | None = None,
) -> Lesson:
    """Substitute (teacher [+ room]), move (room), cancel, or add (add_subject + teacher) one lesson."""
    class_id = _class(p, class_name)
    label = f"{p.directory.class_name(class_id)} on {day.isoformat()}"
    if not is_school_day(day):
        raise DemoCommandError(f"{day.isoformat()} is not a school day (weekend or holidays)")
    if room is not None and not room.strip():
        raise DemoCommandError("room is empty")
    room = room.strip() if room else None
    reason = reason.strip() if reason and reason.strip() else None
    by_number = {lesson.number: lesson for lesson in await p.lessons([class_id], day, day)}
    existing = await _override(p.conn, class_id, day, number)
    if add_subject is not None:
        if number not in BELLS:
            raise DemoCommandError(f"lesson number must be {min(BELLS)}-{max(BELLS)}, got {number}")
        if number in by_number:
            raise DemoCommandError(f"{label} already has lesson {number} ({by_number[number].subject})")
        if teacher is None:
            raise DemoCommandError("an added lesson needs its teacher")
        subject_id = _class_subject(p, class_id, add_subject)
        await _check_free_teacher(p, teacher, class_id, day, number)
        new = Override(
            class_id,
            day,
            number,
            subject_id,
            teacher,
            room or p.directory.teacher_room.get(teacher),
            added=True,
            reason=reason,
        )
    else:
        lesson = by_number.get(number)
        if lesson is None:
            numbers = ", ".join(str(n) for n in sorted(by_number)) or "none"
            raise DemoCommandError(f"{label} has no lesson {number} (lessons: {numbers})")
        base = existing or Override(class_id, day, number)
        if cancel:
            new = replace(base, cancelled=True, reason=reason)
        elif teacher is not None:
            if teacher == lesson.teacher_id and lesson.status != LessonStatus.CANCELLED:
                raise DemoCommandError(f"{teacher} already teaches lesson {number} of {label}")
            await _check_free_teacher(p, teacher, class_id, day, number)
            new = replace(base, teacher_id=teacher, room=room or base.room, cancelled=False, reason=reason)
        elif room is not None:
            new = replace(base, room=room, cancelled=False, reason=reason)
        else:
            raise DemoCommandError("nothing to change: give --teacher, --room, --cancel or --add")
    async with p.write() as conn:
        await conn.execute(
            f"INSERT OR REPLACE INTO overrides ({OVERRIDE_COLUMNS}, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual')",
            new.row(),
        )
    return next(lesson for lesson in await p.lessons([class_id], day, day) if lesson.number == number)


# checks and helpers
def _class(p: DemoProvider, name: str) -> str:
    class_id = p.directory.class_id(name)
    if class_id is None:
        known = ", ".join(n for n, _ in p.directory.classes.values())
        raise DemoCommandError(f"unknown class {name!r} (classes: {known})")
    return class_id


def _class_subject(p: DemoProvider, class_id: str, name: str) -> str:
    d = p.directory
    subject_id = d.subject_id(name)
    if subject_id is None or subject_id not in d.class_subject_ids(class_id):
        known = ", ".join(d.subjects[s] for s in d.class_subject_ids(class_id))
        raise DemoCommandError(f"class {d.class_name(class_id)} has no subject {name!r} (subjects: {known})")
    return subject_id


def _check_value(value: str) -> str:
    try:
        parse_grade_value(value)
    except ValueError:
        raise DemoCommandError(f"not a grade: {value!r} (expected 1-5 with an optional + or -, or н, зч...)") from None
    return value.strip().lower()


async def _check_free_teacher(p: DemoProvider, teacher: str | None, class_id: str, day: date, number: int) -> None:
    person = p.directory.people.get(teacher or "")
    if person is None or person.role != Role.TEACHER:
        raise DemoCommandError(f"unknown teacher {teacher!r}")
    others = [c for c in p.directory.classes if c != class_id]
    for lesson in await p.lessons(others, day, day):
        if lesson.number == number and lesson.teacher_id == teacher and lesson.status != LessonStatus.CANCELLED:
            raise DemoCommandError(f"{teacher} teaches {lesson.class_name} at lesson {number} on {day.isoformat()}")


async def _grade(p: DemoProvider, grade_id: str) -> Grade:
    async with p.conn.execute(f"{GRADE_SELECT} WHERE id = ?", (grade_id,)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise DemoCommandError(f"unknown grade {grade_id!r}")
    return p.grade_from_row(tuple(row))


async def _override(conn: aiosqlite.Connection, class_id: str, day: date, number: int) -> Override | None:
    sql = f"SELECT {OVERRIDE_COLUMNS} FROM overrides WHERE class_id = ? AND date = ? AND number = ?"
    async with conn.execute(sql, (class_id, day.isoformat(), number)) as cur:
        row = await cur.fetchone()
    return Override.from_row(tuple(row)) if row else None


async def _next_manual_id(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT value FROM meta WHERE key = 'next_manual_id'") as cur:
        row = await cur.fetchone()
    if row is None:
        raise DemoCommandError("the demo school's file is incomplete: run the bot once to rebuild it")
    number = int(row[0])
    await conn.execute("UPDATE meta SET value = ? WHERE key = 'next_manual_id'", (str(number + 1),))
    return number
