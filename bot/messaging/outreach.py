"""A teacher starts a conversation with a student's parents (/message: class → student → «write to the
parents»). The message goes into one thread per parent the e-diary lists, through the same relay and rules as
any teacher's answer (relay.post): linked accounts get it now (quiet hours defer it), a parent not on Telegram
yet gets it on linking (and through the e-diary's messages where it carries them).

Every id from a button or FSM data is re-checked here: the account is linked as a teacher of the student's
class (the class's teachers as the e-diary lists them, the homeroom teacher included)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access import linked_teachers
from bot.context import AppContext
from bot.ediary.model import Person, Role, Student, Teacher
from bot.messaging.drafts import Draft
from bot.messaging.relay import Outcome, RateLimited, post
from storage import links as links_repo
from storage.messages import Thread


@dataclass(frozen=True, slots=True)
class ParentSeat:
    parent: Person
    linked: bool  # has an account in the bot now
    thread: Thread  # unsaved (id 0) until the first message


@dataclass(frozen=True, slots=True)
class Outreach:
    teacher: Teacher
    student: Student
    parents: list[ParentSeat]


@dataclass(frozen=True, slots=True)
class ParentOutcome:
    parent: Person
    outcome: Outcome


async def teacher_classes(ctx: AppContext, user_id: int) -> list[str]:
    """The classes whose students' parents the account may write to, in the e-diary's order."""
    mine: set[str] = set()
    for teacher in await linked_teachers(ctx.database, ctx.ediary, user_id):
        mine.update(teacher.classes)
        if teacher.homeroom_class:
            mine.add(teacher.homeroom_class)
    if not mine:
        return []
    return [name for name in await ctx.ediary.list_classes() if name in mine]


async def class_pupils(ctx: AppContext, user_id: int, class_name: str) -> list[Student] | None:
    """The class's students, when the account teaches the class."""
    if class_name not in await teacher_classes(ctx, user_id):
        return None
    return await ctx.ediary.class_students(class_name)


async def outreach(ctx: AppContext, user_id: int, student_id: object) -> Outreach | None:
    """The student's parents as the teacher would write to them; None when the account may not."""
    if not isinstance(student_id, str):
        return None
    student = await ctx.ediary.get_student(student_id)
    if student is None:
        return None
    class_teachers = {t.id for t in await ctx.ediary.class_teachers(student.class_name)}
    teacher = next(
        (t for t in await linked_teachers(ctx.database, ctx.ediary, user_id) if t.id in class_teachers), None
    )
    if teacher is None:
        return None
    parents = await ctx.ediary.parents_of(student.id)
    links = await links_repo.links_of_people(ctx.database, [p.id for p in parents])
    linked = {link.person_id for link in links if link.role == Role.PARENT}
    now = ctx.clock.now()
    seats = [
        ParentSeat(
            parent,
            parent.id in linked,
            Thread(
                id=0,
                sender_person_id=parent.id,
                sender_role=Role.PARENT.value,
                teacher_id=teacher.id,
                student_id=student.id,
                sender_name=parent.full_name,
                teacher_name=teacher.person.full_name,
                teacher_subjects=tuple(teacher.subjects),
                student_name=student.person.full_name,
                class_name=student.class_name,
                last_message_at=now,
                student_sex=student.person.sex,
            ),
        )
        for parent in parents
    ]
    return Outreach(teacher, student, seats)


async def send_to_parents(ctx: AppContext, user_id: int, reach: Outreach, draft: Draft) -> list[ParentOutcome]:
    """Post the draft in each parent's thread (created with it); a second press finds every copy stored."""
    outcomes = []
    for number, seat in enumerate(reach.parents):
        sent = await post(ctx, seat.thread, author_user_id=user_id, from_teacher=True, draft=draft.copy(number))
        if isinstance(sent, RateLimited):  # only family accounts are limited; a teacher never is
            raise RuntimeError("a teacher's message was rate limited")
        outcomes.append(ParentOutcome(seat.parent, sent))
    return outcomes
