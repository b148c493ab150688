"""What the messaging handlers call: who may write to whom about whom, posting, /inbox and a thread's
history, mute, the thread a Telegram reply answers.

Every id that arrives in a button or in FSM data is re-checked here on every step (the account may write
about this student, the teacher teaches them, the account is still a participant of the thread); a forged
id gets None, exactly like an unknown one. The e-diary is read fresh: rights must not lag behind it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bot.access import family_students, roles_of
from bot.context import AppContext
from bot.delivery.queue import Call
from bot.ediary.model import Person, Role, Student, Teacher
from bot.messaging import outreach
from bot.messaging.drafts import Draft
from bot.messaging.refs import relayed_message_id
from bot.messaging.relay import Outcome, RateLimited, post
from bot.messaging.render import relay_calls
from bot.ui import Translator
from storage import links as links_repo
from storage import messages as messages_repo
from storage import outbox
from storage.messages import Thread, ThreadMessage

REPLY_LOOKUP_WAIT = 10.0  # seconds: at most the wait for the answer to a send in flight

THREADS_PER_PAGE = 6
MESSAGES_PER_PAGE = 5


class Side(StrEnum):
    TEACHER = "teacher"
    FAMILY = "family"


@dataclass(frozen=True, slots=True)
class Participation:
    """A thread and the side of it an account is on."""

    thread: Thread
    side: Side

    @property
    def as_teacher(self) -> bool:
        return self.side == Side.TEACHER


@dataclass(frozen=True, slots=True)
class ComposeStart:
    """What /message offers: the students the account may write about (the only one's teachers at once)."""

    students: list[Student]
    teachers: list[Teacher]  # of the only student; empty when there are several or none
    linked: bool  # linked at all: a teacher without family links is answered differently than a stranger
    teacher_classes: list[str]  # linked as a teacher: the classes whose students' parents it may write to


@dataclass(frozen=True, slots=True)
class StudentChoice:
    student: Student
    teachers: list[Teacher]
    several: bool  # the account writes about more than one student: it may go back to choose


# --- who may write to whom about whom ------------------------------------------------------------


async def compose_start(ctx: AppContext, user_id: int) -> ComposeStart:
    students = await family_students(ctx.database, ctx.ediary, user_id)
    teachers = await _teachers_of(ctx, students[0]) if len(students) == 1 else []
    linked = bool(students) or bool(await roles_of(ctx.database, user_id))
    return ComposeStart(students, teachers, linked, await outreach.teacher_classes(ctx, user_id))


async def student_choice(ctx: AppContext, user_id: int, student_id: str) -> StudentChoice | None:
    """The student's teachers, when the account may write about this student."""
    students = await family_students(ctx.database, ctx.ediary, user_id)
    student = next((s for s in students if s.id == student_id), None)
    if student is None:
        return None
    return StudentChoice(student, await _teachers_of(ctx, student), several=len(students) > 1)


async def new_thread(ctx: AppContext, user_id: int, student_id: object, teacher_id: object) -> Participation | None:
    """The conversation the account may start (unsaved until its first message) about this student with
    this teacher: the student is the account itself or its child, and the teacher teaches their class."""
    students = await family_students(ctx.database, ctx.ediary, user_id)
    student = next((s for s in students if s.id == student_id), None)
    if student is None or not isinstance(teacher_id, str):
        return None
    teacher = next((t for t in await _teachers_of(ctx, student) if t.id == teacher_id), None)
    sender = await _sender_for(ctx, user_id, student)
    if teacher is None or sender is None:
        return None
    person, role = sender
    thread = Thread(
        id=0,
        sender_person_id=person.id,
        sender_role=role,
        teacher_id=teacher.id,
        student_id=student.id,
        sender_name=person.full_name,
        teacher_name=teacher.person.full_name,
        teacher_subjects=tuple(teacher.subjects),
        student_name=student.person.full_name,
        class_name=student.class_name,
        last_message_at=ctx.clock.now(),
        student_sex=student.person.sex,
    )
    return Participation(thread, Side.FAMILY)


async def _teachers_of(ctx: AppContext, student: Student) -> list[Teacher]:
    """The student's teachers, the homeroom teacher first (the provider's order)."""
    return await ctx.ediary.class_teachers(student.class_name)


async def _sender_for(ctx: AppContext, user_id: int, student: Student) -> tuple[Person, str] | None:
    """Whom the account writes as about this student: the student, or a parent of theirs."""
    links = await links_repo.links_of_user(ctx.database, user_id)
    for link in links:
        if link.role == Role.STUDENT and link.person_id == student.id:
            return student.person, Role.STUDENT.value
    for link in links:
        if link.role == Role.PARENT and any(c.id == student.id for c in await ctx.ediary.children_of(link.person_id)):
            person = await ctx.ediary.get_person(link.person_id)
            if person is not None:
                return person, Role.PARENT.value
    return None


async def participant(ctx: AppContext, user_id: int, thread_id: int) -> Participation | None:
    """The thread and this account's side in it; None for an unknown id or a non-participant alike."""
    thread = await messages_repo.get_thread(ctx.database, thread_id)
    if thread is None:
        return None
    links = await links_repo.links_of_user(ctx.database, user_id)
    if any(link.role == Role.TEACHER and link.person_id == thread.teacher_id for link in links):
        return Participation(thread, Side.TEACHER)
    if not any(link.role == thread.sender_role and link.person_id == thread.sender_person_id for link in links):
        return None
    if thread.sender_role == Role.STUDENT:
        family = thread.sender_person_id == thread.student_id
    else:
        family = any(c.id == thread.student_id for c in await ctx.ediary.children_of(thread.sender_person_id))
    return Participation(thread, Side.FAMILY) if family else None


async def replied_thread(ctx: AppContext, chat_id: int, message_id: int) -> int | None:
    """The thread of the relayed message that produced this bot message (0: the message is gone since);
    None when the bot message was not a relay."""
    item = await outbox.find_by_sent_message(ctx.database, chat_id, message_id)
    if item is None and await ctx.delivery.settled_for(chat_id, REPLY_LOOKUP_WAIT):
        # the reply came before the sender recorded the message it answers: look again once it has
        item = await outbox.find_by_sent_message(ctx.database, chat_id, message_id)
    relayed = relayed_message_id(item.ref if item is not None else None)
    if relayed is None:
        return None
    stored = await messages_repo.get_message(ctx.database, relayed)
    return stored.thread_id if stored is not None else 0


# --- posting ---------------------------------------------------------------------------------------


async def send(ctx: AppContext, seat: Participation, user_id: int, draft: Draft) -> Outcome | RateLimited:
    """Store the message and queue it for the other side (an unsaved thread is created with it)."""
    return await post(ctx, seat.thread, author_user_id=user_id, from_teacher=seat.as_teacher, draft=draft)


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboxEntry:
    thread: Thread
    viewer_is_teacher: bool
    unread: int
    muted: bool
    last: ThreadMessage | None


@dataclass(frozen=True, slots=True)
class InboxPage:
    entries: list[InboxEntry]
    page: int
    pages: int
    is_teacher: bool  # only a teacher: an empty inbox says that families write first


@dataclass(frozen=True, slots=True)
class ThreadHistory:
    seat: Participation
    messages: list[ThreadMessage]  # oldest first
    page: int  # 0 = the latest messages
    pages: int
    total: int
    muted: bool


async def inbox(ctx: AppContext, user_id: int, page: int) -> InboxPage | None:
    """A page of the account's threads, latest first; None when the account is not linked."""
    db = ctx.database
    links = await links_repo.links_of_user(db, user_id)
    if not links:
        return None
    teacher_ids = {link.person_id for link in links if link.role == Role.TEACHER}
    family = {(link.person_id, link.role) for link in links if link.role != Role.TEACHER}
    mine = []
    for thread in await messages_repo.threads_of_people(db, [link.person_id for link in links]):
        if thread.teacher_id in teacher_ids:
            mine.append((thread, True))
        elif (thread.sender_person_id, thread.sender_role) in family:
            mine.append((thread, False))
    pages = max(1, math.ceil(len(mine) / THREADS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    entries = []
    for thread, as_teacher in mine[page * THREADS_PER_PAGE : (page + 1) * THREADS_PER_PAGE]:
        entries.append(
            InboxEntry(
                thread,
                as_teacher,
                await messages_repo.unread_count(db, thread.id, user_id, from_teacher=not as_teacher),
                as_teacher and await messages_repo.is_muted(db, thread.id, user_id),
                await messages_repo.last_message(db, thread.id),
            )
        )
    return InboxPage(entries, page, pages, is_teacher=bool(teacher_ids) and not family)


async def thread_history(ctx: AppContext, user_id: int, seat: Participation, page: int) -> ThreadHistory:
    """A page of the history (0 = latest); opening a thread marks it read for this account."""
    db, thread = ctx.database, seat.thread
    total = await messages_repo.count_messages(db, thread.id)
    pages = max(1, math.ceil(total / MESSAGES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    messages = await messages_repo.message_page(db, thread.id, page, MESSAGES_PER_PAGE)
    last = await messages_repo.last_message(db, thread.id)
    if last is not None:
        await messages_repo.mark_read(db, thread.id, user_id, last.id)
    muted = seat.as_teacher and await messages_repo.is_muted(db, thread.id, user_id)
    return ThreadHistory(seat, messages, page, pages, total, muted)


async def set_muted(ctx: AppContext, user_id: int, thread_id: int, mute: bool) -> Participation | None:
    """A teacher mutes (or unmutes) a thread for their account; None for anyone else."""
    seat = await participant(ctx, user_id, thread_id)
    if seat is None or not seat.as_teacher:
        return None
    await messages_repo.set_muted(ctx.database, seat.thread.id, user_id, mute, ctx.clock.now())
    return seat


async def message_in_full(ctx: AppContext, user_id: int, message_id: int, tr: Translator) -> list[Call] | None:
    """The calls that show one message of a thread again, whole (None: not the account's thread)."""
    stored = await messages_repo.get_message(ctx.database, message_id)
    seat = None if stored is None else await participant(ctx, user_id, stored.thread_id)
    if stored is None or seat is None:
        return None
    return relay_calls(stored, seat.thread, tr)
