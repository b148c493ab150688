"""Who of a class has not joined yet: each family (a student and their parents), who of it has a linked Telegram
account, and who holds a code that still works. Read afresh at every step: joining is what keeps changing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.codes.holder import Holder
from bot.ediary.model import Role
from bot.ediary.provider import EdiaryProvider
from bot.invite.people import class_holders
from storage import codes as codes_repo
from storage import links as links_repo
from storage.db import Database


@dataclass(frozen=True, slots=True)
class Member:
    holder: Holder
    joined: bool  # at least one Telegram account is linked to this person
    code: codes_repo.StoredCode | None  # the latest code that still works (None once joined)


@dataclass(frozen=True, slots=True)
class Family:
    student: Member
    parents: tuple[Member, ...]  # a parent of two in the class belongs to the first child's family only

    @property
    def waiting(self) -> list[Member]:
        return [member for member in (self.student, *self.parents) if not member.joined]


@dataclass(frozen=True, slots=True)
class Tally:
    joined: int
    total: int


@dataclass(frozen=True, slots=True)
class ClassJoining:
    class_name: str
    families: tuple[Family, ...]  # journal order

    @property
    def pending(self) -> list[Family]:
        """The families with someone who has not joined yet."""
        return [family for family in self.families if family.waiting]

    @property
    def waiting(self) -> list[Member]:
        """Everyone who has not joined, family by family (each person once)."""
        return [member for family in self.families for member in family.waiting]

    @property
    def with_code(self) -> int:
        """How many of those waiting hold a code that still works."""
        return sum(1 for member in self.waiting if member.code is not None)

    def tally(self, role: Role) -> Tally:
        members = [self._members_of(family, role) for family in self.families]
        flat = [member for group in members for member in group]
        return Tally(sum(1 for member in flat if member.joined), len(flat))

    def to_issue(self, *, renew: bool) -> list[Holder]:
        """Whom codes go to: those waiting without a working code, or (renew) everyone waiting."""
        return [member.holder for member in self.waiting if renew or member.code is None]

    @staticmethod
    def _members_of(family: Family, role: Role) -> tuple[Member, ...]:
        return (family.student,) if role == Role.STUDENT else family.parents


async def class_joining(db: Database, provider: EdiaryProvider, class_name: str, now: datetime) -> ClassJoining:
    holders = await class_holders(provider, class_name, "all")  # each student followed by their new parents
    ids = [holder.id for holder in holders]
    joined = {link.person_id for link in await links_repo.links_of_people(db, ids)}
    latest: dict[str, codes_repo.StoredCode] = {}
    for code in await codes_repo.valid_codes_of_people(db, ids, now):  # oldest first: the newest stays
        latest[code.person_id] = code
    families: list[tuple[Member, list[Member]]] = []
    for holder in holders:
        is_joined = holder.id in joined
        member = Member(holder, is_joined, None if is_joined else latest.get(holder.id))
        if holder.student is not None:
            families.append((member, []))
        elif families:
            families[-1][1].append(member)
    return ClassJoining(class_name, tuple(Family(student, tuple(parents)) for student, parents in families))
