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
from storage import followers as followers_repo
from storage.followers import Counters
from storage.links import Link
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
    if cached is not None and cached[0] == (await followers_repo.counters(ctx.database)).links:
        return cached[1]
    return await followed_classes(ctx)


async def followed_classes(ctx: AppContext) -> dict[str, FollowedClass]:
    """Every class with at least one reachable linked student or parent. Raises ProviderError.

    The accounts (links, reachability, language, settings) are read again only when they changed (the change
    counters, storage/followers.py); who is whose child and in which class is asked of the e-diary every time."""
    provider = ctx.ediary
    get_student, children_of = provider.get_student, provider.children_of  # looked up once for every link
    counted, accounts = await _accounts(ctx)
    people: dict[str, list[Recipient | None]] = {}  # student id -> who follows them (None: unreachable)
    students: dict[str, Student] = {}
    for link, recipient in accounts:
        if link.role == Role.STUDENT:
            student = await get_student(link.person_id)
            found = [student] if student is not None else []
        elif link.role == Role.PARENT:
            found = await children_of(link.person_id)
        else:
            continue
        for student in found:
            students[student.id] = student
            people.setdefault(student.id, []).append(recipient)
    classes: dict[str, FollowedClass] = {}
    for student_id, followers in sorted(people.items()):
        student = students[student_id]
        followed = FollowedStudent(student)
        unique = {(r.user_id, r.is_student): r for r in followers if r is not None}
        for key in sorted(unique):
            if all(r.user_id != key[0] for r in followed.recipients):
                followed.recipients.append(unique[key])
        if followed.recipients:
            classes.setdefault(student.class_name, FollowedClass(student.class_name)).students[student_id] = followed
    ctx.poll.followed = (counted.links, classes)
    return classes


async def current_preferences(ctx: AppContext) -> dict[int, Preferences]:
    """Every reachable linked account's alert settings as they are now (read again only when they changed)."""
    _, accounts = await _accounts(ctx)
    return {link.user_id: recipient.prefs for link, recipient in accounts if recipient is not None}


async def _accounts(ctx: AppContext) -> tuple[Counters, list[tuple[Link, Recipient | None]]]:
    """Every link with the recipient it makes (None for an account that blocked the bot, Telegram 403: it is
    reachable again when it writes), read again only when the change counters moved."""
    counted = await followers_repo.counters(ctx.database)
    kept = ctx.poll.accounts
    if kept is not None and kept[0] == counted:
        return kept
    recipients: dict[tuple[int, bool], Recipient | None] = {}
    accounts = []
    for account in await followers_repo.linked_accounts(ctx.database):
        link = account.link
        key = (link.user_id, link.role == Role.STUDENT)
        if key not in recipients:
            locale = pick_locale(account.language, account.telegram_language)
            recipients[key] = Recipient(link.user_id, key[1], locale, account.prefs) if account.active else None
        accounts.append((link, recipients[key]))
    ctx.poll.accounts = (counted, accounts)
    return counted, accounts
