"""Who is asking, as /help and the fallback answer need it: which command audiences (bot/features.py) this
account belongs to. The e-diary (whether a linked teacher is a homeroom teacher) is read through the shared
cache; when it does not answer, the account is simply not counted as an inviter (unless it is an admin)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.access import linked_teachers, roles_of
from bot.ediary.model import Role
from bot.ediary.provider import ProviderError
from bot.features import Audience

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)


async def audiences_of(ctx: AppContext, user_id: int) -> frozenset[Audience]:
    """EVERYONE, plus LINKED / FAMILY / TEACHERS by the roles the account is linked as, plus INVITERS for an
    admin (ADMIN_IDS) or a linked homeroom teacher (the same rule /invite checks)."""
    roles = await roles_of(ctx.database, user_id)
    found = {Audience.EVERYONE}
    if roles:
        found.add(Audience.LINKED)
    if roles - {Role.TEACHER}:
        found.add(Audience.FAMILY)
    if Role.TEACHER in roles:
        found.add(Audience.TEACHERS)
    if user_id in ctx.settings.admin_ids or (Role.TEACHER in roles and await _homeroom_teacher(ctx, user_id)):
        found.add(Audience.INVITERS)
    return frozenset(found)


async def is_teacher(ctx: AppContext, user_id: int) -> bool:
    return Role.TEACHER in await roles_of(ctx.database, user_id)


async def _homeroom_teacher(ctx: AppContext, user_id: int) -> bool:
    try:
        return any(t.homeroom_class for t in await linked_teachers(ctx.database, ctx.reader, user_id))
    except ProviderError:
        log.warning("the e-diary did not answer: /help for user %s leaves /invite out", user_id)
        return False
