"""Provider-neutral e-diary model: every provider translates its API into these types."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

NON_NUMERIC_GRADES = frozenset({"зч", "нз", "н", "нб", "оп", "осв", "неосв", "б", "п", "у"})
# Values e-diaries put in the marks column that record attendance, not achievement: absent («н», «нб»),
# late («оп»), ill («б»), truant («п»), excused («у»). They are never announced or counted as grades.
ATTENDANCE_MARKS = frozenset({"н", "нб", "оп", "б", "п", "у"})


_FINGERPRINT_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False), made once


def content_fingerprint(*content: Any) -> str:
    """A record's fingerprint: 16 hex characters of the SHA-256 of its compared fields as a JSON list (a poll
    makes one for every record it reads). The fields are scalars or tuples of strings (hashable, for the cache)."""
    if 0 in content:  # 0, False, 0.0 and -0.0 are one key to the cache, but JSON writes each its own way
        return _fingerprint(*content)
    return _cached_fingerprint(*content)


def _fingerprint(*content: Any) -> str:
    return hashlib.sha256(_FINGERPRINT_JSON.encode(list(content)).encode()).hexdigest()[:16]


# a class's pupils share a day's marks: equal content, one hash per poll (`typed`: 1 and 1.0 are written apart)
_cached_fingerprint = lru_cache(maxsize=4096, typed=True)(_fingerprint)


def is_attendance_mark(raw: str) -> bool:
    return raw.strip().lower() in ATTENDANCE_MARKS


def parse_grade_value(raw: str) -> float | None:
    """Numeric value of a raw mark: "5" -> 5.0, "4-" -> 4.0, "зч" -> None.

    Raises ValueError when `raw` is not a mark at all.
    """
    value = raw.strip().lower()
    if value in NON_NUMERIC_GRADES:
        return None
    core = value.rstrip("+-")
    if len(value) - len(core) <= 1 and core.isdigit() and 1 <= int(core) <= 5:
        return float(core)
    raise ValueError(f"not a grade: {raw!r}")


class Role(StrEnum):
    STUDENT = "student"
    PARENT = "parent"
    TEACHER = "teacher"


class Sex(StrEnum):
    """As the e-diary records it; wording that depends on it falls back to neutral when unknown."""

    MALE = "male"
    FEMALE = "female"


class LessonStatus(StrEnum):
    NORMAL = "normal"
    SUBSTITUTED = "substituted"
    CANCELLED = "cancelled"
    ROOM_CHANGED = "room_changed"
    ADDED = "added"


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    full_name: str
    role: Role
    sex: Sex | None = None  # None: the e-diary does not say

    @property
    def short_name(self) -> str:
        """'Иванова Мария Петровна' -> 'Мария Иванова' (first name + surname)."""
        parts = self.full_name.split()
        if len(parts) >= 2:
            return f"{parts[1]} {parts[0]}"
        return self.full_name


@dataclass(frozen=True, slots=True)
class Student:
    person: Person
    class_name: str
    school: str

    @property
    def id(self) -> str:
        return self.person.id


@dataclass(frozen=True, slots=True)
class Teacher:
    person: Person
    subjects: tuple[str, ...]
    classes: tuple[str, ...]
    homeroom_class: str | None = None

    @property
    def id(self) -> str:
        return self.person.id


@dataclass(frozen=True, slots=True)
class Subject:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Grade:
    id: str  # stable key from the provider (Дневник.ру: id_str)
    student_id: str
    subject: str
    value: str  # raw: "5", "4-", "зч", "н"
    numeric: float | None
    weight: float
    work_type: str | None
    date: date
    comment: str | None = None
    teacher_id: str | None = None
    lesson_id: str | None = None

    @property
    def is_attendance(self) -> bool:
        """An absence or lateness recorded as a mark: attendance, not a grade."""
        return is_attendance_mark(self.value)

    def fingerprint(self) -> str:
        """Hash of what a correction can change; the id is the stable key."""
        return content_fingerprint(
            self.subject, self.value, self.weight, self.work_type, self.date.isoformat(), self.comment
        )


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    date: date
    number: int
    start: time
    end: time
    class_name: str
    subject: str
    room: str | None
    teacher_id: str | None
    status: LessonStatus = LessonStatus.NORMAL
    original_teacher_id: str | None = None  # set when substituted
    original_room: str | None = None  # set when the room changed
    reason: str | None = None
    group: str | None = None  # a subgroup's id when the class is split (two lessons share the slot)

    @property
    def key(self) -> str:
        """Stable key of a timetable slot, whatever happens to it."""
        slot = f"{self.class_name}|{self.date.isoformat()}|{self.number}"
        return f"{slot}|{self.group}" if self.group else slot

    def fingerprint(self) -> str:
        return content_fingerprint(
            self.subject,
            self.room,
            self.teacher_id,
            self.status.value,
            self.original_teacher_id,
            self.original_room,
            self.reason,
            self.start.isoformat(),
            self.end.isoformat(),
        )


@dataclass(frozen=True, slots=True)
class Homework:
    id: str
    class_name: str
    subject: str
    text: str
    due: date
    assigned: date | None = None
    attachments: tuple[str, ...] = field(default_factory=tuple)  # file names
    comment: str | None = None  # the teacher's note beside the task

    def fingerprint(self) -> str:
        return content_fingerprint(self.subject, self.text, self.due.isoformat(), tuple(self.attachments))


@dataclass(frozen=True, slots=True)
class ClassSchedule:
    """A class's lessons over [start, end] with the homework due and the marks dated in that range: what a
    real e-diary gives in one request (МЭШ events with `expand=marks,homework`, Дневник.ру schedules)."""

    class_name: str
    start: date
    end: date
    lessons: tuple[Lesson, ...]
    homework: tuple[Homework, ...]  # due in [start, end]
    grades: tuple[Grade, ...]  # dated in [start, end], every student of the class


class AttendanceKind(StrEnum):
    ABSENT = "absent"
    LATE = "late"


class AbsenceReason(StrEnum):
    ILLNESS = "illness"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"


_MARK_ATTENDANCE: dict[str, tuple[AttendanceKind, AbsenceReason | None]] = {
    "н": (AttendanceKind.ABSENT, None),
    "нб": (AttendanceKind.ABSENT, None),
    "б": (AttendanceKind.ABSENT, AbsenceReason.ILLNESS),
    "у": (AttendanceKind.ABSENT, AbsenceReason.EXCUSED),
    "п": (AttendanceKind.ABSENT, AbsenceReason.UNEXCUSED),
    "оп": (AttendanceKind.LATE, None),
}


def attendance_of_mark(raw: str) -> tuple[AttendanceKind, AbsenceReason | None] | None:
    """What an attendance value in the marks column records («б»: absent, ill); None for a real mark."""
    return _MARK_ATTENDANCE.get(raw.strip().lower())


@dataclass(frozen=True, slots=True)
class AttendanceMark:
    """A student absent from, or late for, one lesson."""

    id: str  # stable key from the provider
    student_id: str
    date: date
    lesson_number: int
    subject: str
    kind: AttendanceKind
    minutes_late: int | None = None  # LATE only, where the e-diary records it
    reason: AbsenceReason | None = None  # None: not given
    lesson_id: str | None = None

    def fingerprint(self) -> str:
        return content_fingerprint(self.subject, self.kind.value, self.minutes_late, self.reason, self.date.isoformat())


class EventKind(StrEnum):
    PARENT_MEETING = "parent_meeting"
    SCHOOL_EVENT = "school_event"
    HOLIDAY = "holiday"


class EventAudience(StrEnum):
    SCHOOL = "school"  # everyone of the school
    CLASS = "class"  # a class's students and parents
    CLASS_PARENTS = "class_parents"  # a class's parents only


@dataclass(frozen=True, slots=True)
class SchoolEvent:
    id: str
    title: str
    kind: EventKind
    start: datetime  # school-local, naive or aware in the school's zone
    audience: EventAudience
    class_name: str | None = None  # CLASS and CLASS_PARENTS
    end: datetime | None = None
    place: str | None = None
    description: str | None = None

    def fingerprint(self) -> str:
        content = [
            self.title,
            self.kind.value,
            self.start.isoformat(),
            self.end.isoformat() if self.end else None,
            self.place,
            self.audience.value,
            self.class_name,
            self.description,
        ]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Period:
    id: str
    name: str  # provider's own name, e.g. "1 четверть"
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class FinalMark:
    """A period or year mark, where the e-diary has them."""

    student_id: str
    subject: str
    period_id: str  # a Period.id or "year"
    value: str


@dataclass(frozen=True, slots=True)
class Capabilities:
    substitutions: bool  # lessons carry substituted / cancelled / room-changed states
    messaging: bool  # the e-diary carries messages to teachers who are not on Telegram
    final_marks: bool = False
    # False: the token reads only its own students (a family's token); class-level reads raise NotSupported
    # and the bot reads per followed student (student_schedule) instead of per class.
    class_reads: bool = True
    attendance: bool = False  # absences and lateness per lesson (provider.AttendanceSource)
    events: bool = False  # school events and parent meetings (provider.EventsSource)
    # True: one class_schedule over the poll's windows costs fewer requests than class_grades + class_lessons +
    # class_homework, so the poller reads that (the same records, taken apart by window)
    schedule_reads: bool = False


@dataclass(frozen=True, slots=True)
class AuthStatus:
    """How the provider's credentials stand, for the admins' warnings. None fields: not known / not applicable."""

    expires_at: datetime | None = None  # when the current token stops working
    refreshable: bool = True  # the provider can renew it by itself before then
    problem: str | None = None  # why it does not work now (no secrets), e.g. "token rejected: run …"


@dataclass(frozen=True, slots=True)
class EdiaryMessage:
    """A message carried by the e-diary's own messaging (for teachers not on Telegram)."""

    id: str
    sender_id: str
    recipient_id: str
    student_id: str | None
    text: str
    sent_at: str  # ISO timestamp


def to_json(obj: DataclassInstance) -> dict[str, Any]:
    """A plain-JSON view of a model object (dates as ISO strings)."""

    def convert(value: object) -> object:
        if isinstance(value, (date, time)):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return {key: convert(value) for key, value in asdict(obj).items()}
