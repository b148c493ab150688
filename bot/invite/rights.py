"""Who may issue codes in the bot: an admin (ADMIN_IDS) for anyone; a linked homeroom teacher for the
students of their class and those students' parents. Every step re-checks here (callback data is forgeable)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access import linked_teachers
from bot.codes.holder import Holder, describe
from bot.config import Settings
from bot.ediary.model import Role
from bot.ediary.provider import EdiaryProvider
from bot.invite.people import CLASS_ROLES, all_teachers, class_holders, class_members
from storage.db import Database

TEACHERS = "teacher"  # the admin-only batch: every teacher of the school


@dataclass(frozen=True, slots=True)
class Inviter:
    user_id: int
    is_admin: bool
    homeroom_classes: tuple[str, ...]

    def may_invite_class(self, class_name: str, role: str) -> bool:
        if role not in CLASS_ROLES:
            return False
        return self.is_admin or class_name in self.homeroom_classes


async def inviter_for(db: Database, provider: EdiaryProvider, settings: Settings, user_id: int) -> Inviter | None:
    """None when this account may not issue codes at all."""
    is_admin = user_id in settings.admin_ids
    homerooms = tuple(
        dict.fromkeys(t.homeroom_class for t in await linked_teachers(db, provider, user_id) if t.homeroom_class)
    )
    if not (is_admin or homerooms):
        return None
    return Inviter(user_id, is_admin, homerooms)


async def classes_for(inviter: Inviter, provider: EdiaryProvider) -> list[str]:
    return await provider.list_classes() if inviter.is_admin else list(inviter.homeroom_classes)


async def batch_holders(inviter: Inviter, provider: EdiaryProvider, class_name: str, role: str) -> list[Holder] | None:
    """The people of a class batch (or all teachers for class "" and role "teacher"); None when refused."""
    if class_name == "" and role == TEACHERS:
        return await all_teachers(provider) if inviter.is_admin else None
    if class_name not in await provider.list_classes() or not inviter.may_invite_class(class_name, role):
        return None
    return await class_holders(provider, class_name, role)


async def people_holders(
    inviter: Inviter, provider: EdiaryProvider, person_ids: list[str]
) -> tuple[list[Holder], list[str]]:
    """(the people this inviter may issue codes for, the ids refused). Unknown and not-allowed ids are
    refused alike, so a teacher cannot probe who exists."""
    allowed: set[str] | None = None
    if not inviter.is_admin:
        allowed = set()
        for class_name in inviter.homeroom_classes:
            allowed |= await class_members(provider, class_name)
    holders, refused = [], []
    for person_id in person_ids:
        holder = await describe(provider, person_id) if allowed is None or person_id in allowed else None
        if holder is None or (allowed is not None and holder.role == Role.TEACHER):
            refused.append(person_id)
        else:
            holders.append(holder)
    return holders, refused
