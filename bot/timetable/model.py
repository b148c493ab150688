"""The timetable's plain data: whose timetable (Target), which span (a day or a week), and the built day and
week (DayTimetable, WeekTimetable) that build.py fills from the e-diary and render_*.py turn into text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.ediary.model import Grade, Homework, Lesson, LessonStatus, Student, Teacher

CHANGED = frozenset({LessonStatus.SUBSTITUTED, LessonStatus.CANCELLED, LessonStatus.ROOM_CHANGED, LessonStatus.ADDED})


class Span(StrEnum):
    """How much one screen covers (the values travel in the "whose timetable?" button)."""

    DAY = "d"
    WEEK = "w"


class Kind(StrEnum):
    """Whose timetable, as it travels in buttons."""

    STUDENT = "s"
    TEACHER = "t"
    FAMILY = "a"  # all the account's children, one after another


@dataclass(frozen=True, slots=True)
class Target:
    """Whose timetable a screen shows: students' class days, or one teacher's own lessons."""

    kind: Kind
    person_id: str  # "" for the whole family
    students: tuple[Student, ...] = ()
    teacher: Teacher | None = None

    @property
    def owners(self) -> tuple[Student | Teacher, ...]:
        return (self.teacher,) if self.teacher is not None else self.students


@dataclass(frozen=True, slots=True)
class LessonEntry:
    lesson: Lesson
    homework: tuple[Homework, ...] = ()  # due at this lesson
    marks: tuple[Grade, ...] = ()  # given in this lesson (a student's timetable only)
    covering: bool = False  # a teacher's timetable: this teacher substitutes for a colleague
    handed_over: bool = False  # a teacher's timetable: the teacher's own lesson, given to a substitute
    in_progress: bool = False  # happening right now (school time)

    @property
    def changed(self) -> bool:
        return self.lesson.status in CHANGED or self.handed_over or self.lesson.original_room is not None


@dataclass(frozen=True, slots=True)
class Section:
    """One person's lessons on one day: a student's (class timetable) or a teacher's own."""

    owner: Student | Teacher
    day: date
    lessons: tuple[LessonEntry, ...]
    other_homework: tuple[Homework, ...] = ()  # due that day for a subject without a lesson
    other_marks: tuple[Grade, ...] = ()  # given that day, matching no lesson

    @property
    def for_teacher(self) -> bool:
        return isinstance(self.owner, Teacher)

    @property
    def changes(self) -> int:
        return sum(entry.changed for entry in self.lessons)


@dataclass(frozen=True, slots=True)
class DayTimetable:
    day: date
    today: date
    sections: tuple[Section, ...]
    names: Mapping[str, str] = field(hash=False)  # teacher id -> display name (compared, not hashed: a dict)
    substitutions_known: bool = True
    next_school_day: date | None = None  # looked up only when nobody has lessons that day
    searched_weeks: int = 0  # how far ahead that search went

    @property
    def empty(self) -> bool:
        return not any(section.lessons for section in self.sections)


@dataclass(frozen=True, slots=True)
class WeekTimetable:
    monday: date
    today: date
    days: tuple[date, ...]  # Monday-Friday, plus a weekend day that has lessons
    sections: tuple[tuple[Section, ...], ...]  # per day, one section per person
    names: Mapping[str, str] = field(default_factory=dict, hash=False)
    substitutions_known: bool = True

    @property
    def has_changes(self) -> bool:
        return any(section.changes for day in self.sections for section in day)
