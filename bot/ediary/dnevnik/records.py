"""Дневник.ру records -> model: lessons (with bell times), homework (works of type Homework), marks and final
marks. A mark has no subject of its own: it comes from its lesson, or from its work's subjectId."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.ediary.dnevnik.fields import Fields
from bot.ediary.dnevnik.mapping import Bells, IdTable, PeriodInfo, WorkType
from bot.ediary.model import FinalMark, Grade, Homework, Lesson, parse_grade_value

HOMEWORK_TYPES = frozenset({"homework"})
YEAR_PERIOD_TYPES = frozenset({"year", "schoolyear"})


@dataclass(frozen=True, slots=True)
class LessonInfo:
    id: str
    day: date
    number: int
    subject: str
    teacher_id: str | None
    room: str | None


@dataclass(frozen=True, slots=True)
class MarkFacts:
    """A mark before its subject is known."""

    id: str
    student_id: str
    value: str
    day: date
    work_type: WorkType | None
    lesson_id: str | None
    work_id: str | None
    comment: str | None

    def grade(self, subject: str, teacher_id: str | None) -> Grade:
        try:
            numeric = parse_grade_value(self.value)
        except ValueError:
            numeric = None  # a value outside the usual set: kept raw
        weight = self.work_type.weight if self.work_type else 1.0
        title = self.work_type.title if self.work_type else None
        return Grade(
            self.id,
            self.student_id,
            subject,
            self.value,
            numeric,
            weight,
            title,
            self.day,
            self.comment,
            teacher_id,
            self.lesson_id,
        )


def lesson_info(f: Fields, record: dict[str, Any], subjects: IdTable[str]) -> LessonInfo:
    """`{id, id_str, date, number, subject{id, name} | subjectId, teachers_str[], place}`."""
    subject = record.get("subject")
    name = f.text(subject, "name", optional=True) if isinstance(subject, dict) else subjects.lookup(record, "subjectId")
    if name is None:
        raise f.skip("subject", "is missing or names an unknown subject")
    number = f.integer(record, "number")
    assert number is not None
    return LessonInfo(
        f.req_id(record, "id"),
        f.req_day(record, "date"),
        number,
        name,
        _teacher(f, record),
        f.text(record, "place", "room", optional=True),
    )


def _teacher(f: Fields, record: dict[str, Any]) -> str | None:
    teachers = record.get("teachers_str")
    if isinstance(teachers, list) and teachers and isinstance(teachers[0], str):
        return teachers[0]
    ints = record.get("teachers")
    if isinstance(ints, list) and ints:
        f.note("teachers_str", "is missing; the int form is used where exact")
        first = {"teacher": ints[0]}
        return f.id(first, "teacher", optional=True) if isinstance(ints[0], int) else None
    return None


def lesson(f: Fields, info: LessonInfo, class_name: str, bells: Bells) -> Lesson:
    times = bells.times(info.number, info.day)
    if times is None:
        raise f.skip("number", "has no bell time in the class's timetables")
    return Lesson(
        info.id, info.day, info.number, times[0], times[1], class_name, info.subject, info.room, info.teacher_id
    )


def is_homework(record: dict[str, Any]) -> bool:
    kind = record.get("type")
    return isinstance(kind, str) and kind.strip().casefold() in HOMEWORK_TYPES


def homework(f: Fields, work: dict[str, Any], class_name: str, subject: str | None, subjects: IdTable[str]) -> Homework:
    """A work of type Homework: `text`, `targetDate` (due), `sentDate` (given), `files`."""
    name = subjects.lookup(work, "subjectId") or subject
    if name is None:
        raise f.skip("subjectId", "names no known subject and the work has no lesson")
    return Homework(
        f.req_id(work, "id"),
        class_name,
        name,
        f.text(work, "text", optional=True) or "",
        f.req_day(work, "targetDate"),
        f.day(work, "sentDate", optional=True),
        _attachments(f, work.get("files")),
    )


def _attachments(f: Fields, files: object) -> tuple[str, ...]:
    """File objects give their names; bare file ids (the usual form on a work) give 'file <id>'."""
    if not isinstance(files, list):
        return ()
    names = []
    for item in files:
        if isinstance(item, dict):
            label = f.text(item, "name", "fileName", optional=True) or f.id(item, "id", optional=True)
            if label:
                names.append(label)
        elif isinstance(item, int | str) and not isinstance(item, bool):
            names.append(f"file {item}")
    return tuple(names)


def mark_facts(f: Fields, record: dict[str, Any], types: IdTable[WorkType]) -> MarkFacts:
    """`{id, id_str, value, person_str, work_str, lesson_str, date, workType}`."""
    kind = types.lookup(record, "workType")
    if kind is None and record.get("workType") is not None:
        f.note("workType", "names a work type not in work-types/{school}; weight 1 is used")
    return MarkFacts(
        f.req_id(record, "id"),
        f.req_id(record, "person"),
        f.req_text(record, "value", "textValue"),
        f.req_day(record, "date"),
        kind,
        f.id(record, "lesson", optional=True),
        f.id(record, "work", optional=True),
        f.text(record, "comment", optional=True),
    )


def work_subjects(f: Fields, works: list[Any], subjects: IdTable[str]) -> dict[str, str]:
    """Work id -> subject name, for works that name a known subject."""
    result = {}
    for work in works:
        if isinstance(work, dict):
            name = subjects.lookup(work, "subjectId")
            work_id = f.id(work, "id", optional=True) if ("id" in work or "id_str" in work) else None
            if name and work_id:
                result[work_id] = name
    return result


def final_marks(f: Fields, payload: object, student_id: str, periods: list[PeriodInfo]) -> list[FinalMark]:
    """`{marks[], works[], subjects[], workTypes[]}`: a mark's work gives its subject and period
    (`periodNumber`, `periodType`; a year type -> 'year')."""
    answer = f.answer_dict(payload)
    subjects = IdTable(
        f.each(f.answer_list(answer.get("subjects", [])), lambda s: (f.req_id(s, "id"), f.req_text(s, "name")))
    )
    works = IdTable(f.each(f.answer_list(answer.get("works", [])), lambda w: (f.req_id(w, "id"), w)))

    def read(record: dict[str, Any]) -> FinalMark:
        work = works.lookup(record, "work")
        if work is None:
            raise f.skip("work", "names no work of the answer")
        subject = subjects.lookup(work, "subjectId")
        if subject is None:
            raise f.skip("subjectId", "names no subject of the answer")
        return FinalMark(
            f.req_id(record, "person"), subject, _period_id(f, work, periods), f.req_text(record, "value", "textValue")
        )

    marks = f.answer_list(answer.get("marks", []))
    return [m for m in f.each(marks, read) if m.student_id == student_id]


def _period_id(f: Fields, work: dict[str, Any], periods: list[PeriodInfo]) -> str:
    kind = f.text(work, "periodType", optional=True)
    if kind is not None and kind.casefold() in YEAR_PERIOD_TYPES:
        return "year"
    number = f.integer(work, "periodNumber")
    for info in periods:
        if info.number == number and (kind is None or info.kind is None or info.kind.casefold() == kind.casefold()):
            return info.period.id
    raise f.skip("periodNumber", "matches no reporting period")
