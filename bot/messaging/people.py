"""Who may write to whom: the sender's e-diary identity, the student's teachers, a thread's participants.

Every id that arrives in a callback is checked here; a forged id gets None, exactly like an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.access import family_students
from bot.ediary.model import Person, Role, Student, Teacher
from bot.ediary.provider import EdiaryProvider
from storage import links as links_repo
from storage import messages as messages_repo
from storage.db import Database
from storage.messages import Thread


class Side(StrEnum):
    TEACHER = "teacher"
    FAMILY = "family"


@dataclass(frozen=True, slots=True)
class Sender:
    """The family-side person an account writes as: a parent of the student, or the student."""

    person: Person
    role: str  # 'parent' | 'student'


async def writable_students(db: Database, provider: EdiaryProvider, user_id: int) -> list[Student]:
    """Students this account may write to teachers about (its children, or itself as a student)."""
    return await family_students(db, provider, user_id)


async def sender_for(db: Database, provider: EdiaryProvider, user_id: int, student: Student) -> Sender | None:
    links = await links_repo.links_of_user(db, user_id)
    for link in links:
        if link.role == Role.STUDENT and link.person_id == student.id:
            return Sender(student.person, Role.STUDENT.value)
    for link in links:
        if link.role == Role.PARENT and any(c.id == student.id for c in await provider.children_of(link.person_id)):
            person = await provider.get_person(link.person_id)
            if person is not None:
                return Sender(person, Role.PARENT.value)
    return None


async def student_teachers(provider: EdiaryProvider, student: Student) -> list[Teacher]:
    """The student's teachers, the homeroom teacher first (the provider's order)."""
    return await provider.class_teachers(student.class_name)


async def student_teacher(provider: EdiaryProvider, student: Student, teacher_id: str) -> Teacher | None:
    """The teacher when they teach the student's class (or are its homeroom teacher), else None."""
    for teacher in await student_teachers(provider, student):
        if teacher.id == teacher_id:
            return teacher
    return None


async def side_in_thread(db: Database, provider: EdiaryProvider, user_id: int, thread: Thread) -> Side | None:
    """Which side of the thread this account is on, or None when it is not a participant (any more)."""
    links = await links_repo.links_of_user(db, user_id)
    if any(link.role == Role.TEACHER and link.person_id == thread.teacher_id for link in links):
        return Side.TEACHER
    if not any(link.role == thread.sender_role and link.person_id == thread.sender_person_id for link in links):
        return None
    if thread.sender_role == Role.STUDENT:
        return Side.FAMILY if thread.sender_person_id == thread.student_id else None
    children = await provider.children_of(thread.sender_person_id)
    return Side.FAMILY if any(c.id == thread.student_id for c in children) else None


async def participant(
    db: Database, provider: EdiaryProvider, user_id: int, thread_id: int
) -> tuple[Thread, Side] | None:
    """The thread and this account's side in it; None for an unknown id or a non-participant alike."""
    thread = await messages_repo.get_thread(db, thread_id)
    if thread is None:
        return None
    side = await side_in_thread(db, provider, user_id, thread)
    return None if side is None else (thread, side)


async def accounts_of(db: Database, person_id: str, role: str) -> list[int]:
    """Telegram accounts linked as this person in this role (the other side's recipients)."""
    return [link.user_id for link in await links_repo.links_of_people(db, [person_id]) if link.role == role]


def unsaved_thread(sender: Sender, teacher: Teacher, student: Student, now: datetime) -> Thread:
    """The thread as it will look (id 0 until relay.post stores it with the first message)."""
    return Thread(
        id=0,
        sender_person_id=sender.person.id,
        sender_role=sender.role,
        teacher_id=teacher.id,
        student_id=student.id,
        sender_name=sender.person.full_name,
        teacher_name=teacher.person.full_name,
        teacher_subjects=tuple(teacher.subjects),
        student_name=student.person.full_name,
        class_name=student.class_name,
        last_message_at=now,
    )


def thread_fields(thread: Thread) -> dict[str, object]:
    """What storage keeps of a thread's people: e-diary ids and names, refreshed on every family message."""
    return {
        name: getattr(thread, name)
        for name in (
            "sender_person_id",
            "sender_role",
            "teacher_id",
            "student_id",
            "sender_name",
            "teacher_name",
            "teacher_subjects",
            "student_name",
            "class_name",
        )
    }
