"""The async protocol every e-diary provider implements; the bot talks to e-diaries only through it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Protocol, runtime_checkable

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
)


class ProviderError(Exception):
    """The e-diary could not answer; callers show a short 'try again' and change nothing."""


class ProviderUnavailable(ProviderError):
    """Timeout, connection error or 5xx: the e-diary is down for now."""


class IncompleteAnswer(ProviderError):
    """The answer was truncated or malformed: never treat missing records as deleted."""


class ProviderAuthError(ProviderError):
    """The e-diary refuses the bot's credentials (expired or revoked token, a missing scope) and renewing
    them did not help: the school's admins must act. `missing_scope` names the scope when the API says."""

    def __init__(self, message: str, *, missing_scope: str | None = None) -> None:
        super().__init__(message)
        self.missing_scope = missing_scope


class NotSupported(ProviderError):
    """This provider (or its token) cannot give this data; capabilities say so beforehand."""


VIEW_READ_SECONDS = 10.0  # what a view shown to a user (several provider calls) may take before it gives up


@asynccontextmanager
async def read_deadline() -> AsyncIterator[None]:
    """The reads of one view within VIEW_READ_SECONDS: a slow e-diary becomes ProviderUnavailable, like a
    failing one (the user is told so instead of waiting)."""
    seconds = VIEW_READ_SECONDS  # read at each call: tests shorten it
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError as exc:
        raise ProviderUnavailable(f"no answer within {seconds:g} s") from exc


# Every read of the protocol (optional parts included) by what it reads: the shared view cache
# (bot/ediary/cached.py) and the metrics (bot/observability/metered.py) both follow this one table.
READS: dict[str, str] = {
    **dict.fromkeys(
        (
            "get_person",
            "get_student",
            "get_teacher",
            "list_people",
            "list_classes",
            "class_students",
            "children_of",
            "parents_of",
            "class_teachers",
            "class_subjects",
        ),
        "people",
    ),
    **dict.fromkeys(("student_grades", "class_grades", "final_marks", "periods"), "grades"),
    **dict.fromkeys(("class_lessons", "teacher_lessons", "class_schedule", "student_schedule"), "lessons"),
    "class_homework": "homework",
    **dict.fromkeys(("student_attendance", "class_attendance"), "attendance"),
    "school_events": "events",
}
# Reads whose first argument is a class name (a poll of that class makes their older answers stale).
CLASS_READS = frozenset({"class_grades", "class_lessons", "class_homework", "class_schedule", "class_attendance"})
# Reads of what a poll never changes (people, the school year, events).
REFERENCE_READS = frozenset(m for m, kind in READS.items() if kind in ("people", "events")) | {"periods"}


@runtime_checkable
class EdiaryProvider(Protocol):
    """Everything the bot needs from an e-diary. Ids are provider strings; dates are school-local."""

    name: str

    @property
    def capabilities(self) -> Capabilities: ...

    # people and relations
    async def get_person(self, person_id: str) -> Person | None: ...
    async def get_student(self, student_id: str) -> Student | None: ...
    async def get_teacher(self, teacher_id: str) -> Teacher | None: ...
    async def list_people(self, class_name: str | None = None, role: Role | None = None) -> list[Person]: ...
    async def list_classes(self) -> list[str]: ...
    async def class_students(self, class_name: str) -> list[Student]: ...
    async def children_of(self, parent_id: str) -> list[Student]: ...
    async def parents_of(self, student_id: str) -> list[Person]: ...
    async def class_teachers(self, class_name: str) -> list[Teacher]:
        """The class's teachers, the homeroom teacher first."""
        ...

    async def class_subjects(self, class_name: str) -> list[Subject]: ...

    # school year
    async def periods(self) -> list[Period]:
        """The current school year's periods (quarters, trimesters...) in order."""
        ...

    # records
    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]: ...
    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        """All grades of a class in one call (what the poller uses)."""
        ...

    async def final_marks(self, student_id: str) -> list[FinalMark]: ...
    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]: ...
    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        """Lessons a teacher gives, including those they cover as a substitute."""
        ...

    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        """Homework of a class whose due date lies in [start, end]."""
        ...

    async def student_schedule(self, student_id: str, start: date, end: date) -> ClassSchedule:
        """As class_schedule, for one student: their lessons (subgroups included), the homework due and only
        their own grades. What the bot reads when capabilities.class_reads is False."""
        ...

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        """One request: a class's lessons with their homework and marks (homework due and grades dated in
        [start, end]), as class_lessons, class_homework and class_grades would give them."""
        ...

    # messaging (capabilities.messaging)
    async def send_message(
        self, sender_id: str, recipient_id: str, student_id: str | None, text: str
    ) -> EdiaryMessage: ...

    def auth_status(self) -> AuthStatus:
        """The credentials' state now (no I/O): expiry, whether they renew themselves, a problem to report."""
        ...

    async def close(self) -> None: ...


# Optional parts of the protocol: a provider implements one when its capabilities say so (a provider without
# the data does not implement it, and the bot says plainly that this e-diary does not give it).
@runtime_checkable
class AttendanceSource(Protocol):
    """capabilities.attendance"""

    async def student_attendance(self, student_id: str, start: date, end: date) -> list[AttendanceMark]: ...
    async def class_attendance(self, class_name: str, start: date, end: date) -> list[AttendanceMark]:
        """Every student of the class (capabilities.class_reads)."""
        ...


@runtime_checkable
class EventsSource(Protocol):
    """capabilities.events"""

    async def school_events(self, start: date, end: date) -> list[SchoolEvent]:
        """Events starting in [start, end], every audience (the bot picks whom each concerns)."""
        ...


def attendance_source(provider: EdiaryProvider) -> AttendanceSource | None:
    return provider if provider.capabilities.attendance and isinstance(provider, AttendanceSource) else None


def events_source(provider: EdiaryProvider) -> EventsSource | None:
    return provider if provider.capabilities.events and isinstance(provider, EventsSource) else None
