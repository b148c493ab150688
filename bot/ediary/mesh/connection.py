"""The provider EDIARY_PROVIDER=mesh gives the bot: the mode's provider, opened when first needed and opened again
after a failed opening, so that the bot starts — and can tell its admins — with an expired token, a host that
answers 403 or has moved, or a host that is down. `auth_status()` is what the admins' notices read: the token's
expiry and renewal (token.py), else why the e-diary refuses the bot (an opening or a read refused with 403 or a
redirect, until that read works again)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

from bot.ediary.mesh.client import HostMoved
from bot.ediary.mesh.family import FamilyProvider
from bot.ediary.mesh.school import SchoolProvider
from bot.ediary.mesh.token import TokenKeeper
from bot.ediary.model import (
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
    Student,
    Subject,
    Teacher,
)
from bot.ediary.provider import ProviderAuthError, ProviderError

log = logging.getLogger(__name__)

T = TypeVar("T")
Opened = SchoolProvider | FamilyProvider
# Before the token's profile is known: per-student reads (student_schedule) work in either mode.
NOT_OPENED = Capabilities(substitutions=True, messaging=False, final_marks=True, class_reads=False)


def _needs_admin(what: str, exc: ProviderError) -> bool:
    """A refusal only the school's admins can fix: a host that redirects, a 403 (host or endpoint), or a token
    whose profiles do not suit (opening). A refused token is the keeper's problem already."""
    if isinstance(exc, HostMoved):
        return True
    return isinstance(exc, ProviderAuthError) and (exc.missing_scope is not None or what == "open")


class MeshConnection:
    name = "mesh"

    def __init__(self, keeper: TokenKeeper, opener: Callable[[], Awaitable[Opened]]) -> None:
        self.keeper = keeper
        self._opener = opener
        self._opened: Opened | None = None
        self._lock = asyncio.Lock()
        self._ended = 0  # opening attempts that ended
        self._last_failure: ProviderError | None = None
        self._refusals: dict[str, str] = {}  # what was refused ("open" or a method) -> why, until it works again

    @property
    def opened(self) -> Opened | None:
        return self._opened

    async def open(self) -> Opened:
        """The mode's provider; opened now if it is not yet. Callers that waited for an attempt that failed get
        that attempt's error instead of trying again one after another."""
        if self._opened is not None:
            return self._opened
        ended = self._ended
        async with self._lock:
            if self._opened is not None:
                return self._opened
            if self._ended != ended and self._last_failure is not None:
                raise self._last_failure  # the attempt this caller waited for failed just now
            self._last_failure = None
            try:
                self._opened = await self._tracked("open", self._opener)
            except ProviderError as exc:
                self._last_failure = exc
                raise
            finally:
                self._ended += 1
            log.info("МЭШ: connected in %s mode", self._opened.mode)
            return self._opened

    async def try_open(self) -> None:
        """At startup: open if the e-diary lets us; else note why and carry on (the next read tries again)."""
        try:
            await self.open()
        except ProviderError as exc:  # info: the poller and the admins' notices report it (a CLI prints its error)
            log.info("МЭШ: not connected yet (the next read tries again): %s", exc)

    @property
    def capabilities(self) -> Capabilities:
        return self._opened.capabilities if self._opened is not None else NOT_OPENED

    def auth_status(self) -> AuthStatus:
        status = self.keeper.status()
        if status.problem is not None or not self._refusals:
            return status
        return dataclasses.replace(status, problem=self._refusals[min(self._refusals)])

    async def close(self) -> None:
        if self._opened is not None:
            await self._opened.close()
            self._opened = None

    async def _tracked(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        try:
            result = await call()
        except ProviderError as exc:
            if _needs_admin(what, exc):
                self._refusals[what] = str(exc)
            raise
        self._refusals.pop(what, None)
        return result

    async def _read(self, what: str, read: Callable[[Opened], Awaitable[T]]) -> T:
        provider = await self.open()
        return await self._tracked(what, lambda: read(provider))

    # the protocol, read through the opened provider
    async def get_person(self, person_id: str) -> Person | None:
        return await self._read("get_person", lambda p: p.get_person(person_id))

    async def get_student(self, student_id: str) -> Student | None:
        return await self._read("get_student", lambda p: p.get_student(student_id))

    async def get_teacher(self, teacher_id: str) -> Teacher | None:
        return await self._read("get_teacher", lambda p: p.get_teacher(teacher_id))

    async def list_people(self, class_name: str | None = None, role: Role | None = None) -> list[Person]:
        return await self._read("list_people", lambda p: p.list_people(class_name, role))

    async def list_classes(self) -> list[str]:
        return await self._read("list_classes", lambda p: p.list_classes())

    async def class_students(self, class_name: str) -> list[Student]:
        return await self._read("class_students", lambda p: p.class_students(class_name))

    async def children_of(self, parent_id: str) -> list[Student]:
        return await self._read("children_of", lambda p: p.children_of(parent_id))

    async def parents_of(self, student_id: str) -> list[Person]:
        return await self._read("parents_of", lambda p: p.parents_of(student_id))

    async def class_teachers(self, class_name: str) -> list[Teacher]:
        return await self._read("class_teachers", lambda p: p.class_teachers(class_name))

    async def class_subjects(self, class_name: str) -> list[Subject]:
        return await self._read("class_subjects", lambda p: p.class_subjects(class_name))

    async def periods(self) -> list[Period]:
        return await self._read("periods", lambda p: p.periods())

    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        return await self._read("student_grades", lambda p: p.student_grades(student_id, start, end))

    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        return await self._read("class_grades", lambda p: p.class_grades(class_name, start, end))

    async def final_marks(self, student_id: str) -> list[FinalMark]:
        return await self._read("final_marks", lambda p: p.final_marks(student_id))

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        return await self._read("class_lessons", lambda p: p.class_lessons(class_name, start, end))

    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        return await self._read("teacher_lessons", lambda p: p.teacher_lessons(teacher_id, start, end))

    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        return await self._read("class_homework", lambda p: p.class_homework(class_name, start, end))

    async def student_schedule(self, student_id: str, start: date, end: date) -> ClassSchedule:
        return await self._read("student_schedule", lambda p: p.student_schedule(student_id, start, end))

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        return await self._read("class_schedule", lambda p: p.class_schedule(class_name, start, end))

    async def send_message(self, sender_id: str, recipient_id: str, student_id: str | None, text: str) -> EdiaryMessage:
        return await self._read("send_message", lambda p: p.send_message(sender_id, recipient_id, student_id, text))
