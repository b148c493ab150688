"""Who may send announcements: an admin (ADMIN_IDS) to any class or the whole school; a linked homeroom
teacher to their own class. Re-checked on every step (buttons and FSM data are the user's to forge)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access import linked_teachers
from bot.context import AppContext
from bot.ediary.model import Teacher


@dataclass(frozen=True, slots=True)
class Announcer:
    user_id: int
    is_admin: bool
    homerooms: dict[str, Teacher]  # class name -> the account's teacher person who leads it
    teacher: Teacher | None  # a teacher this account is linked as (an admin's signature), if any

    def may_address(self, class_name: str | None) -> bool:
        """`class_name` None: the whole school."""
        if class_name is None:
            return self.is_admin
        return self.is_admin or class_name in self.homerooms


async def announcer_for(ctx: AppContext, user_id: int) -> Announcer | None:
    """None when this account may not send announcements at all. Raises ProviderError."""
    teachers = await linked_teachers(ctx.database, ctx.reader, user_id)
    homerooms = {t.homeroom_class: t for t in teachers if t.homeroom_class}
    is_admin = user_id in ctx.settings.admin_ids
    if not (is_admin or homerooms):
        return None
    return Announcer(user_id, is_admin, homerooms, teachers[0] if teachers else None)


async def classes_for(ctx: AppContext, announcer: Announcer) -> list[str]:
    """The classes this announcer may address, in the e-diary's order."""
    if announcer.is_admin:
        return await ctx.reader.list_classes()
    return sorted(announcer.homerooms)
