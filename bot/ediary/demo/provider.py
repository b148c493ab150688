"""DemoProvider: the EdiaryProvider of the embedded demo school (see the package docstring)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

import aiosqlite

from bot.clock import Clock
from bot.ediary.demo import attendance, events
from bot.ediary.demo.directory import Directory
from bot.ediary.demo.final_marks import quarter_and_year_marks
from bot.ediary.demo.generate_plans import homework_extras
from bot.ediary.demo.lessons import OVERRIDE_COLUMNS, Override, index_overrides, lessons_for_day
from bot.ediary.demo.school_calendar import quarters, school_year_of
from bot.ediary.demo.school_file import SchoolFile
from bot.ediary.model import (
    AttendanceMark,
    AuthStatus,
    Capabilities,
    ClassSchedule,
    EdiaryMessage,
    FinalMark,
    Grade,
    Homework,
    Lesson,
    Period,
    Person,
    Role,
    SchoolEvent,
    Student,
    Subject,
    Teacher,
    parse_grade_value,
)
from bot.ediary.provider import NotSupported, ProviderError, ProviderUnavailable

GRADE_SELECT = (
    "SELECT id, student_id, subject_id, value, weight, work_type, date, comment, teacher_id, lesson_id FROM grades"
)
ROLE_ORDER = {Role.STUDENT: 0, Role.PARENT: 1, Role.TEACHER: 2}


@functools.lru_cache(maxsize=256)
def _numeric(value: str) -> float | None:
    """A mark's numeric value (the few marks there are, each parsed once)."""
    try:
        return parse_grade_value(value)
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> date:
    return date.fromisoformat(text)


def _guarded(method):
    """SQLite and file-system failures become ProviderUnavailable, as the protocol asks."""

    @functools.wraps(method)
    async def wrapper(self, *args, **kwargs):
        try:
            return await method(self, *args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            raise ProviderUnavailable(f"demo e-diary: {exc}") from exc

    return wrapper


class DemoProvider:
    """`per_student`: answer as a family's token of a real e-diary would (capabilities.class_reads False):
    class-level record reads raise NotSupported and the bot reads each student's schedule instead.
    `schedule_reads`: say that class_schedule is the cheaper read (capabilities.schedule_reads), as Дневник.ру
    does; the demo itself is cheaper read apart (a schedule over the poll's windows builds three weeks of
    lessons), so only tests ask for it."""

    name = "demo"

    def __init__(
        self, file: SchoolFile, clock: Clock, *, per_student: bool = False, schedule_reads: bool = False
    ) -> None:
        self.file = file
        self.clock = clock
        self.per_student = per_student
        self.schedule_reads = schedule_reads

    @classmethod
    async def open(
        cls, path: Path | str, clock: Clock, *, per_student: bool = False, schedule_reads: bool = False
    ) -> DemoProvider:
        """Opens (creating and filling on first use) the demo school in its own SQLite file."""
        try:
            file = await SchoolFile.open(path, clock.today())
        except (sqlite3.Error, OSError) as exc:
            raise ProviderUnavailable(f"demo e-diary at {path}: {exc}") from exc
        return cls(file, clock, per_student=per_student, schedule_reads=schedule_reads)

    @property
    def conn(self) -> aiosqlite.Connection:
        return self.file.conn

    @property
    def directory(self) -> Directory:
        return self.file.directory

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            substitutions=True,
            messaging=True,
            final_marks=True,
            events=True,
            attendance=True,
            class_reads=not self.per_student,
            schedule_reads=self.schedule_reads,
        )

    async def close(self) -> None:
        await self.file.close()

    # people and relations: from the cached directory
    async def get_person(self, person_id: str) -> Person | None:
        return self.directory.people.get(person_id)

    async def get_student(self, student_id: str) -> Student | None:
        return self.directory.student(student_id)

    async def get_teacher(self, teacher_id: str) -> Teacher | None:
        return self.directory.teacher(teacher_id)

    async def list_people(self, class_name: str | None = None, role: Role | None = None) -> list[Person]:
        d = self.directory
        if class_name is None:
            people = list(d.people.values())
        else:
            class_id = d.class_id(class_name)
            students = d.students_of(class_id)
            ids = set(students) | {p for s in students for p in d.parents[s]}
            ids |= d.teachers_of(class_id or "")
            people = [d.people[i] for i in ids]
        if role is not None:
            people = [p for p in people if p.role == role]
        return sorted(people, key=lambda p: (ROLE_ORDER[p.role], p.id))

    async def list_classes(self) -> list[str]:
        return [name for name, _ in self.directory.classes.values()]

    async def class_students(self, class_name: str) -> list[Student]:
        d = self.directory
        class_id = d.class_id(class_name)
        students = [d.known_student(s) for s in d.students_of(class_id)]
        return sorted(students, key=lambda s: s.person.full_name)  # journal order

    async def children_of(self, parent_id: str) -> list[Student]:
        return [self.directory.known_student(s) for s in self.directory.children.get(parent_id, ())]

    async def parents_of(self, student_id: str) -> list[Person]:
        return [self.directory.people[p] for p in self.directory.parents.get(student_id, ())]

    async def class_teachers(self, class_name: str) -> list[Teacher]:
        d = self.directory
        class_id = d.class_id(class_name)
        if class_id is None:
            return []
        homeroom = d.classes[class_id][1]
        ids = sorted(d.teachers_of(class_id) | {homeroom}, key=lambda t: (t != homeroom, t))
        return [d.known_teacher(t) for t in ids]

    async def class_subjects(self, class_name: str) -> list[Subject]:
        class_id = self.directory.class_id(class_name)
        if class_id is None:
            return []
        return [self.directory.subject(s) for s in self.directory.class_subject_ids(class_id)]

    async def periods(self) -> list[Period]:
        return list(quarters(school_year_of(self.clock.today())))

    # records: always read from the file, so changes made by the CLI show up on the next call
    @_guarded
    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        return await self._grades("student_id = ?", student_id, start, end)

    @_guarded
    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        self._class_reads("class_grades")
        class_id = self.directory.class_id(class_name)
        return [] if class_id is None else await self._grades("class_id = ?", class_id, start, end)

    @_guarded
    async def final_marks(self, student_id: str) -> list[FinalMark]:
        today = self.clock.today()
        finished = [p for p in quarters(school_year_of(today)) if p.end < today]
        if not finished:
            return []
        grades = await self.student_grades(student_id, finished[0].start, finished[-1].end)
        return quarter_and_year_marks(student_id, grades, finished, year_over=len(finished) == 4)

    @_guarded
    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        self._class_reads("class_lessons")
        class_id = self.directory.class_id(class_name)
        return [] if class_id is None else await self.lessons([class_id], start, end)

    @_guarded
    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        """Includes lessons covered as a substitute and own cancelled lessons; excludes lessons handed to
        a substitute (those appear only in the substitute's list)."""
        self._class_reads("teacher_lessons")
        lessons = await self.lessons(list(self.directory.classes), start, end)
        return sorted(
            (lesson for lesson in lessons if lesson.teacher_id == teacher_id),
            key=lambda lesson: (lesson.date, lesson.number),
        )

    @_guarded
    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        self._class_reads("class_homework")
        class_id = self.directory.class_id(class_name)
        return [] if class_id is None else await self._homework(class_id, start, end)

    @_guarded
    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        """One call of the provider API (a real e-diary's single schedule request); the demo answers it
        with a few queries on its own connection."""
        self._class_reads("class_schedule")
        return await self._schedule(class_name, start, end)

    @_guarded
    async def student_schedule(self, student_id: str, start: date, end: date) -> ClassSchedule:
        student = self.directory.student(student_id)
        if student is None:
            return ClassSchedule("", start, end, (), (), ())
        schedule = await self._schedule(student.class_name, start, end)
        own = tuple(g for g in schedule.grades if g.student_id == student_id)
        return ClassSchedule(schedule.class_name, start, end, schedule.lessons, schedule.homework, own)

    @_guarded
    async def student_attendance(self, student_id: str, start: date, end: date) -> list[AttendanceMark]:
        class_id = self.directory.student_class.get(student_id)
        return [] if class_id is None else await attendance.attendance(self, class_id, [student_id], start, end)

    @_guarded
    async def class_attendance(self, class_name: str, start: date, end: date) -> list[AttendanceMark]:
        self._class_reads("class_attendance")
        d = self.directory
        class_id = d.class_id(class_name)
        if class_id is None:
            return []
        return await attendance.attendance(self, class_id, d.students_of(class_id), start, end)

    @_guarded
    async def school_events(self, start: date, end: date) -> list[SchoolEvent]:
        await self._ensure_current()
        return await events.school_events(self.conn, self.directory, start, end)

    def auth_status(self) -> AuthStatus:
        return AuthStatus(expires_at=None, refreshable=True)

    @_guarded
    async def send_message(self, sender_id: str, recipient_id: str, student_id: str | None, text: str) -> EdiaryMessage:
        await self._ensure_current()
        for person_id in (sender_id, recipient_id):
            if person_id not in self.directory.people:
                raise ProviderError(f"demo e-diary: unknown person {person_id!r}")
        sent_at = self.clock.now().isoformat()
        cur = await self.conn.execute(
            "INSERT INTO messages (sender_id, recipient_id, student_id, text, sent_at) VALUES (?, ?, ?, ?, ?)",
            (sender_id, recipient_id, student_id, text, sent_at),
        )
        return EdiaryMessage(f"msg{cur.lastrowid}", sender_id, recipient_id, student_id, text, sent_at)

    # helpers shared with the admin commands
    async def lessons(self, class_ids: list[str], start: date, end: date) -> list[Lesson]:
        await self._ensure_current()
        overrides = index_overrides(await self.overrides(start, end, class_ids[0] if len(class_ids) == 1 else None))
        result = []
        day = start
        while day <= end:
            for class_id in class_ids:
                result.extend(lessons_for_day(self.directory, class_id, day, overrides.get((class_id, day), {})))
            day += timedelta(days=1)
        return result

    async def overrides(self, start: date, end: date, class_id: str | None = None) -> list[Override]:
        """The timetable changes in [start, end]: of one class, or (None) of all."""
        sql = f"SELECT {OVERRIDE_COLUMNS} FROM overrides WHERE date BETWEEN ? AND ?"
        params: tuple[str, ...] = (start.isoformat(), end.isoformat())
        if class_id is not None:
            sql, params = f"{sql} AND class_id = ?", (*params, class_id)
        return [Override.from_row(r) for r in await self.file.read(sql, params)]

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic change: BEGIN IMMEDIATE so a concurrent writer waits instead of failing."""
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            await self.conn.execute("ROLLBACK")
            raise
        await self.conn.execute("COMMIT")

    def grade_from_row(self, row: tuple) -> Grade:
        gid, student_id, subject_id, value, weight, work_type, day, comment, teacher_id, lesson_id = row
        return Grade(
            gid,
            student_id,
            self.directory.subjects[subject_id],
            value,
            _numeric(value),
            weight,
            work_type,
            _day(day),
            comment,
            teacher_id,
            lesson_id,
        )

    async def _grades(self, where: str, key: str, start: date, end: date) -> list[Grade]:
        await self._ensure_current()
        sql = f"{GRADE_SELECT} WHERE {where} AND date BETWEEN ? AND ? ORDER BY date, student_id, id"
        rows = await self.file.read(sql, (key, start.isoformat(), end.isoformat()))
        return [self.grade_from_row(r) for r in rows]

    async def _homework(self, class_id: str, start: date, end: date) -> list[Homework]:
        d = self.directory
        await self._ensure_current()
        sql = (
            "SELECT id, subject_id, text, due, assigned FROM homework WHERE class_id = ? AND due BETWEEN ? AND ? "
            "ORDER BY due, subject_id, id"
        )
        rows = await self.file.read(sql, (class_id, start.isoformat(), end.isoformat()))
        return [
            Homework(
                hid,
                d.class_name(class_id),
                d.subjects[sid],
                text,
                date.fromisoformat(due),
                date.fromisoformat(assigned) if assigned else None,
                *homework_extras(hid),
            )
            for hid, sid, text, due, assigned in rows
        ]

    async def _schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        class_id = self.directory.class_id(class_name)
        if class_id is None:
            return ClassSchedule(class_name, start, end, (), (), ())
        lessons = await self.lessons([class_id], start, end)
        homework = await self._homework(class_id, start, end)
        grades = await self._grades("class_id = ?", class_id, start, end)
        return ClassSchedule(class_name, start, end, tuple(lessons), tuple(homework), tuple(grades))

    async def _ensure_current(self) -> None:
        """The file at the path now (reopened if it was replaced), filled through today."""
        await self.file.current(self.clock.today())

    def _class_reads(self, what: str) -> None:
        if self.per_student:
            raise NotSupported(f"demo e-diary in per-student mode: no {what}; read student_schedule instead")
