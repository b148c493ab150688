"""Who may see which student. Every handler that takes a student id (text or callback) asks here."""

from __future__ import annotations

from bot.ediary.model import Role, Student, Teacher
from bot.ediary.provider import EdiaryProvider
from storage import links as links_repo
from storage.db import Database


async def roles_of(db: Database, user_id: int) -> frozenset[Role]:
    """The roles this account is linked as (empty: not linked). Every role check asks here."""
    return frozenset(Role(link.role) for link in await links_repo.links_of_user(db, user_id))


async def family_students(db: Database, provider: EdiaryProvider, user_id: int) -> list[Student]:
    """Students this account sees as family: itself as a student, or the children of a linked parent."""
    seen: dict[str, Student] = {}
    for link in await links_repo.links_of_user(db, user_id):
        if link.role == Role.STUDENT:
            student = await provider.get_student(link.person_id)
            if student is not None:
                seen.setdefault(student.id, student)
        elif link.role == Role.PARENT:
            for child in await provider.children_of(link.person_id):
                seen.setdefault(child.id, child)
    return list(seen.values())


async def linked_teachers(db: Database, provider: EdiaryProvider, user_id: int) -> list[Teacher]:
    teachers = []
    for link in await links_repo.links_of_user(db, user_id):
        if link.role == Role.TEACHER:
            teacher = await provider.get_teacher(link.person_id)
            if teacher is not None:
                teachers.append(teacher)
    return teachers


async def can_see_student(
    db: Database, provider: EdiaryProvider, user_id: int, student_id: str, *, teachers_too: bool = True
) -> Student | None:
    """The student when this account may see them, else None (a forged id looks like an unknown one)."""
    for student in await family_students(db, provider, user_id):
        if student.id == student_id:
            return student
    if teachers_too:
        teachers = await linked_teachers(db, provider, user_id)
        if teachers:
            taught = await provider.get_student(student_id)
            if taught is not None and any(taught.class_name in t.classes for t in teachers):
                return taught
    return None
