"""Whose timetable an account may see: its children (or itself as a student), all children at once,
or its own lessons as a teacher. Ids from callback data are re-checked here on every press."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.access import can_see_student, family_students, linked_teachers
from bot.ediary.model import Student, Teacher
from bot.ediary.provider import EdiaryProvider
from storage.db import Database


class Kind(StrEnum):
    STUDENT = "s"
    TEACHER = "t"
    FAMILY = "a"  # all the account's children, one after another


@dataclass(frozen=True, slots=True)
class Target:
    """What one view shows: the students' class days, or one teacher's own day."""

    kind: Kind
    person_id: str  # "" for the whole family
    students: tuple[Student, ...] = ()
    teacher: Teacher | None = None

    @property
    def owners(self) -> tuple[Student | Teacher, ...]:
        return (self.teacher,) if self.teacher is not None else self.students


@dataclass(frozen=True, slots=True)
class Audience:
    students: tuple[Student, ...]
    teachers: tuple[Teacher, ...]

    @property
    def choices(self) -> list[Target]:
        """Every view this account can open, in menu order."""
        choices = [Target(Kind.STUDENT, s.id, students=(s,)) for s in self.students]
        if len(self.students) > 1:
            choices.append(Target(Kind.FAMILY, "", students=self.students))
        choices += [Target(Kind.TEACHER, t.id, teacher=t) for t in self.teachers]
        return choices


async def audience_of(db: Database, provider: EdiaryProvider, user_id: int) -> Audience:
    students = await family_students(db, provider, user_id)
    teachers = await linked_teachers(db, provider, user_id)
    return Audience(tuple(students), tuple(teachers))


async def resolve_target(
    db: Database, provider: EdiaryProvider, user_id: int, kind: str, person_id: str
) -> Target | None:
    """The target named by a button, if this account may still see it (else None, forged or stale)."""
    if kind == Kind.STUDENT:
        student = await can_see_student(db, provider, user_id, person_id)
        return None if student is None else Target(Kind.STUDENT, student.id, students=(student,))
    if kind == Kind.TEACHER:
        teacher = next((t for t in await linked_teachers(db, provider, user_id) if t.id == person_id), None)
        return None if teacher is None else Target(Kind.TEACHER, teacher.id, teacher=teacher)
    if kind == Kind.FAMILY and not person_id:
        students = await family_students(db, provider, user_id)
        return Target(Kind.FAMILY, "", students=tuple(students)) if students else None
    return None
