"""Who may see which student. Every handler that takes a student id (text or callback) asks here."""

from __future__ import annotations

from collections.abc import Sequence

from bot.ediary.model import Role, Student, Teacher
from bot.ediary.provider import EdiaryProvider
from storage import links as links_repo
from storage import view_choices
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


async def chosen_student(
    db: Database, user_id: int, view: str, students: Sequence[Student], wanted: str = ""
) -> Student | None:
    """Which of the account's `students` a per-child screen `view` shows: the one a button names (`wanted`,
    remembered for next time when there are several), else the one chosen last (a choice no longer among them
    is forgotten), else the only one. None: a choice to offer (`wanted` ""), or a button naming a student who
    is not among them."""
    if wanted:
        student = next((s for s in students if s.id == wanted), None)
        if student is not None and len(students) > 1:
            await view_choices.remember(db, user_id, view, student.id)
        return student
    stored = await view_choices.chosen(db, user_id, view)
    remembered = next((s for s in students if s.id == stored), None)
    if stored is not None and remembered is None:
        await view_choices.forget(db, user_id, view)
    return students[0] if len(students) == 1 else remembered
