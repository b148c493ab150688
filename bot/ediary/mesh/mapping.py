"""МЭШ records -> the provider-neutral model. Field names are the reference's (§3.5); each mapper raises
BadRecord for a record it cannot read (fields.mapped skips and logs it)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.ediary.mesh.fields import (
    BadRecord,
    clock_time,
    day,
    flag,
    full_name,
    ident,
    maybe,
    maybe_day,
    maybe_ident,
    maybe_number,
    moment,
    need,
    text,
)
from bot.ediary.model import Grade, Homework, Lesson, LessonStatus, Person, Role, Sex, Student, parse_grade_value

DEFAULT_LESSON_MINUTES = 45  # teacher schedule items without a duration [G]
_SEX = {"male": Sex.MALE, "m": Sex.MALE, "м": Sex.MALE, "female": Sex.FEMALE, "f": Sex.FEMALE, "ж": Sex.FEMALE}


def sex_of(record: dict) -> Sex | None:
    value = record.get("sex")
    if not isinstance(value, str):
        return None
    key = value.strip().lower()
    return _SEX.get(key) or _SEX.get(key[:1])  # "male", "M", "мужской", "Ж"...


def person(record: dict, role: Role, id_field: str = "id") -> Person:
    return Person(ident(record, id_field), full_name(record), role, sex_of(record))


# marks
def _numeric(record: dict, raw: str) -> float | None:
    """The five-point value: `values[0].grade.five` where given, else read from the raw mark."""
    values = maybe(record, "values", list)
    if values and isinstance(values[0], dict) and isinstance(values[0].get("grade"), dict):
        five = values[0]["grade"].get("five")
        if isinstance(five, (int, float)) and not isinstance(five, bool):
            return float(five)
    try:
        return parse_grade_value(raw)
    except ValueError:
        return None


def _raw_value(record: dict, field: str) -> str:
    """The mark as written ("5", "4-", "н"): `field`, else `values[0].grade.origin`."""
    value = record.get(field)
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    values = record.get("values")
    if isinstance(values, list) and values and isinstance(values[0], dict):
        grade = values[0].get("grade")
        origin = grade.get("origin") if isinstance(grade, dict) else None
        if isinstance(origin, (str, int)) and not isinstance(origin, bool) and str(origin).strip():
            return str(origin).strip()
    raise BadRecord(field, "missing")


def _weight(record: dict) -> float:
    weight = maybe_number(record, "weight")
    return weight if weight is not None else 1.0


def _comment(record: dict) -> str | None:
    comment = maybe(record, "comment", str)
    return comment.strip() or None if comment is not None else None


def family_mark(record: dict, student_id: str, subject: str | None = None) -> Grade:
    """A family-API mark (`/family/mobile/v1/marks` payload, or an event's `marks[]` with the event's subject)."""
    raw = _raw_value(record, "value")
    return Grade(
        id=ident(record, "id"),
        student_id=student_id,
        subject=subject if subject is not None else text(record, "subject_name"),
        value=raw,
        numeric=_numeric(record, raw),
        weight=_weight(record),
        work_type=maybe(record, "control_form_name", str),
        date=day(record, "date"),
        comment=_comment(record),
    )


def teacher_mark(record: dict, subjects: dict[str, str]) -> Grade:
    """A teacher-API mark (`/ej/core/teacher/v1/marks`): subject by id, the raw mark in `name`."""
    subject_id = ident(record, "subject_id")
    if subject_id not in subjects:
        raise BadRecord("subject_id", "not a subject of the class's groups")
    raw = _raw_value(record, "name")
    return Grade(
        id=ident(record, "id"),
        student_id=ident(record, "student_profile_id"),
        subject=subjects[subject_id],
        value=raw,
        numeric=_numeric(record, raw),
        weight=_weight(record),
        work_type=maybe(record, "control_form_name", str),
        date=day(record, "date"),
        comment=_comment(record),
        teacher_id=maybe_ident(record, "teacher_id"),
        lesson_id=maybe_ident(record, "schedule_lesson_id"),
    )


# lessons
def _status(record: dict) -> tuple[LessonStatus, str | None]:
    """`cancelled` -> CANCELLED; `replaced` -> SUBSTITUTED with `replaced_teacher_id` as the original teacher
    (the reference marks that meaning unverified [S])."""
    if flag(record, "cancelled"):
        return LessonStatus.CANCELLED, None
    if flag(record, "replaced"):
        return LessonStatus.SUBSTITUTED, maybe_ident(record, "replaced_teacher_id")
    return LessonStatus.NORMAL, None


def _room(record: dict) -> str | None:
    room = record.get("room_number")
    if isinstance(room, (str, int)) and not isinstance(room, bool) and str(room).strip():
        return str(room).strip()
    if room is not None and not isinstance(room, (str, int)):
        raise BadRecord("room_number", f"a {type(room).__name__}")
    return None


@dataclass(frozen=True, slots=True)
class EventParts:
    lesson: Lesson
    homework: tuple[Homework, ...]
    grades: tuple[Grade, ...]


def event(record: dict, class_name: str, student_id: str, tz: tzinfo) -> EventParts | None:
    """An event-calendar lesson (`source` PLAN) with its homework entries and marks; other events (clubs,
    additional education) are not lessons and give None."""
    if maybe(record, "source", str) not in (None, "PLAN"):
        return None
    start, end = moment(record, "start_at", tz), moment(record, "finish_at", tz)
    subject = text(record, "subject_name")
    status, original = _status(record)
    lesson = Lesson(
        id=ident(record, "id"),
        date=start.date(),
        number=0,  # numbered per day once the day's lessons are known
        start=start.time(),
        end=end.time(),
        class_name=class_name,
        subject=subject,
        room=_room(record),
        teacher_id=None,  # the family event names no teacher
        status=status,
        original_teacher_id=original,
        group=maybe_ident(record, "group_id"),
    )
    homework = maybe(record, "homework", dict) or {}
    entries = maybe(homework, "entries", list) or []
    tasks = tuple(_event_homework(entry, class_name, subject) for entry in entries if isinstance(entry, dict))
    marks = maybe(record, "marks", list) or []
    grades = tuple(
        dataclasses.replace(family_mark(mark, student_id, subject), lesson_id=lesson.id)
        for mark in marks
        if isinstance(mark, dict)
    )
    return EventParts(lesson, tasks, grades)


def _event_homework(entry: dict, class_name: str, subject: str) -> Homework:
    return Homework(
        id=ident(entry, "homework_entry_id"),
        class_name=class_name,
        subject=subject,
        text=need(entry, "description", str).strip(),
        due=day(entry, "date_prepared_for"),
        assigned=maybe_day(entry, "date_assigned_on"),
        attachments=_attachments(entry.get("attachments")),
    )


def _attachments(value: object) -> tuple[str, ...]:
    names = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
        elif isinstance(item, dict):
            name = next((item[k] for k in ("title", "name", "file_name") if isinstance(item.get(k), str)), None)
            if name and name.strip():
                names.append(name.strip())
    return tuple(names)


def schedule_item(record: dict, class_names: dict[str, str], tz: tzinfo) -> Lesson:
    """A teacher-API schedule item: `iso_date_time`, or `date` [y, m, d] with `time` [h, m]; `duration` minutes."""
    if record.get("iso_date_time") is not None:
        start = moment(record, "iso_date_time", tz)
    else:
        start = datetime.combine(day(record, "date"), clock_time(record, "time"))
    minutes = maybe(record, "duration", int) or DEFAULT_LESSON_MINUTES
    class_id = ident(record, "class_unit_id")
    class_name = class_names.get(class_id) or text(record, "class_unit_name")
    status, original = _status(record)
    return Lesson(
        id=ident(record, "id"),
        date=start.date(),
        number=0,
        start=start.time(),
        end=(start + timedelta(minutes=minutes)).time(),
        class_name=class_name,
        subject=text(record, "subject_name"),
        room=_room(record),
        teacher_id=maybe_ident(record, "teacher_id"),
        status=status,
        original_teacher_id=original,
        group=maybe_ident(record, "group_id"),
    )


def number_lessons(lessons: list[Lesson]) -> list[Lesson]:
    """Lesson numbers: the rank of the start time among the day's start times of the class (the platform
    gives no number on events [G]); sorted by class, date and number. Every lesson comes with its group id; it
    stays (and so becomes part of the key) only where subgroups share the slot, so a whole-class lesson keeps
    its key when another group's lesson takes its place."""
    starts: dict[tuple[str, date], set[time]] = defaultdict(set)
    sharing: Counter[tuple[str, date, time]] = Counter()
    for lesson in lessons:
        starts[(lesson.class_name, lesson.date)].add(lesson.start)
        sharing[(lesson.class_name, lesson.date, lesson.start)] += 1
    ranks = {key: {t: i for i, t in enumerate(sorted(times), start=1)} for key, times in starts.items()}
    numbered = [
        dataclasses.replace(
            lesson,
            number=ranks[(lesson.class_name, lesson.date)][lesson.start],
            group=lesson.group if sharing[(lesson.class_name, lesson.date, lesson.start)] > 1 else None,
        )
        for lesson in lessons
    ]
    return sorted(numbered, key=lambda x: (x.class_name, x.date, x.number, x.group or "", x.id))


def teacher_homework(record: dict, class_names: dict[str, str], subjects: dict[str, str]) -> Homework:
    """A teacher-API homework (`/ej/core/teacher/v1/homeworks?with_entries=true`): entries joined."""
    group_id = ident(record, "group_id")
    if group_id not in class_names:
        raise BadRecord("group_id", "not a group of a known class")
    subject_id = ident(record, "subject_id")
    if subject_id not in subjects:
        raise BadRecord("subject_id", "not a subject of the class's groups")
    entries = [e for e in need(record, "homework_entries", list) if isinstance(e, dict)]
    descriptions = [need(e, "description", str).strip() for e in entries]
    return Homework(
        id=ident(record, "id"),
        class_name=class_names[group_id],
        subject=subjects[subject_id],
        text="\n\n".join(d for d in descriptions if d),
        due=day(record, "date_prepared_for"),
        assigned=maybe_day(record, "date_assigned_on"),
        attachments=tuple(name for e in entries for name in _attachments(e.get("attachments"))),
    )


def student(record: dict, class_name: str, school: str) -> Student:
    return Student(person(record, Role.STUDENT), class_name, school)


def representatives(record: dict) -> list[Person]:
    """A child's parents (`representatives[]`), where the answer has them; unreadable entries are left out."""
    people = []
    for entry in maybe(record, "representatives", list) or []:
        if isinstance(entry, dict):
            try:
                people.append(person(entry, Role.PARENT))
            except BadRecord:
                continue
    return people
