"""Who follows which class: linked students and the linked parents of students, with their settings; and what
one poll read covers (PollUnit): a whole class where the e-diary reads classes, else one followed student.

Teachers follow no class here: alerts are about a family's own child.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.context import AppContext
from bot.ediary.model import Role, Student
from bot.i18n import pick_locale
from storage import links as links_repo
from storage import preferences as prefs_repo
from storage import users as users_repo
from storage.preferences import Preferences


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    is_student: bool  # the student themself (else a parent)
    locale: str
    prefs: Preferences


@dataclass
class FollowedStudent:
    student: Student
    recipients: list[Recipient] = field(default_factory=list)


@dataclass
class FollowedClass:
    name: str
    students: dict[str, FollowedStudent] = field(default_factory=dict)

    def recipients(self) -> list[Recipient]:
        """Everyone following the class, once each (a parent of two classmates too)."""
        return unique_recipients(self.students.values())


def unique_recipients(students: Iterable[FollowedStudent]) -> list[Recipient]:
    """Everyone following any of these students, once each (as the student where they are one)."""
    unique: dict[int, Recipient] = {}
    for followed in students:
        for recipient in followed.recipients:
            if recipient.user_id not in unique or recipient.is_student:
                unique[recipient.user_id] = recipient
    return sorted(unique.values(), key=lambda r: r.user_id)


@dataclass(frozen=True, slots=True)
class PollUnit:
    """What one e-diary read covers: a class (its followed students), or one student of it where the e-diary
    reads no classes (capabilities.class_reads False)."""

    scope: str  # where its records, baselines and backoff are kept: the class name, or "<class>/<student id>"
    followed: FollowedClass  # the class, with the followed students this read covers
    student_id: str | None = None  # a per-student read: whose schedule

    @property
    def class_name(self) -> str:
        return self.followed.name


def student_scope(class_name: str, student_id: str) -> str:
    return f"{class_name}/{student_id}"


def poll_units(classes: dict[str, FollowedClass], *, class_reads: bool) -> dict[str, PollUnit]:
    """The reads a poll makes, by scope, a class's reads next to each other."""
    units: dict[str, PollUnit] = {}
    for name, followed in sorted(classes.items()):
        if class_reads:
            units[name] = PollUnit(name, followed)
            continue
        for student_id, student in sorted(followed.students.items()):
            scope = student_scope(name, student_id)
            units[scope] = PollUnit(scope, FollowedClass(name, {student_id: student}), student_id)
    return units


def by_class(units: Iterable[PollUnit]) -> dict[str, list[PollUnit]]:
    grouped: dict[str, list[PollUnit]] = {}
    for unit in units:
        grouped.setdefault(unit.class_name, []).append(unit)
    return grouped


async def recent_poll_units(ctx: AppContext) -> dict[str, PollUnit]:
    """recent_followed_classes, as the poll reads them. Raises ProviderError."""
    classes = await recent_followed_classes(ctx)
    return poll_units(classes, class_reads=ctx.ediary.capabilities.class_reads)


async def recent_followed_classes(ctx: AppContext) -> dict[str, FollowedClass]:
    """The last poll's answer while nobody linked or unlinked since (the minute jobs need not ask the e-diary
    every minute); recomputed otherwise. Raises ProviderError."""
    cached = ctx.poll.followed
    if cached is not None and cached[0] == await links_repo.all_links(ctx.database):
        return cached[1]
    return await followed_classes(ctx)


async def followed_classes(ctx: AppContext) -> dict[str, FollowedClass]:
    """Every class with at least one reachable linked student or parent. Raises ProviderError."""
    db, provider = ctx.database, ctx.ediary
    people: dict[str, list[tuple[int, bool]]] = {}  # student id -> [(user id, is the student)]
    students: dict[str, Student] = {}
    links = await links_repo.all_links(db)
    for link in links:
        if link.role == Role.STUDENT:
            student = await provider.get_student(link.person_id)
            found = [student] if student is not None else []
        elif link.role == Role.PARENT:
            found = await provider.children_of(link.person_id)
        else:
            continue
        for student in found:
            students[student.id] = student
            people.setdefault(student.id, []).append((link.user_id, link.role == Role.STUDENT))
    recipients: dict[tuple[int, bool], Recipient | None] = {}
    classes: dict[str, FollowedClass] = {}
    for student_id, users in sorted(people.items()):
        student = students[student_id]
        followed = FollowedStudent(student)
        for user_id, is_student in sorted(set(users)):
            if (user_id, is_student) not in recipients:
                recipients[(user_id, is_student)] = await _recipient(ctx, user_id, is_student)
            recipient = recipients[(user_id, is_student)]
            if recipient is not None and all(r.user_id != user_id for r in followed.recipients):
                followed.recipients.append(recipient)
        if followed.recipients:
            classes.setdefault(student.class_name, FollowedClass(student.class_name)).students[student_id] = followed
    ctx.poll.followed = (links, classes)
    return classes


async def _recipient(ctx: AppContext, user_id: int, is_student: bool) -> Recipient | None:
    """None for an account that blocked the bot (Telegram 403): it is reachable again when it writes."""
    user = await users_repo.get_user(ctx.database, user_id)
    if user is None or not user.is_active:
        return None
    prefs = await prefs_repo.get_preferences(ctx.database, user_id)
    return Recipient(user_id, is_student, pick_locale(user.language, user.telegram_language), prefs)
