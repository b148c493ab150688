"""What an account does with its own links: list them, remove one, erase everything (/forget)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.codes.holder import Holder, describe
from bot.context import AppContext
from bot.ediary.provider import EdiaryProvider, ProviderError
from storage import audit
from storage import links as links_repo
from storage.db import Database
from storage.forget import Erased, forget_user

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Identity:
    person_id: str
    role: str
    holder: Holder | None  # None: the e-diary does not know the person any more, or did not answer


async def identities(db: Database, provider: EdiaryProvider, user_id: int) -> tuple[list[Identity], bool]:
    """The account's links with their people; the flag is False when the e-diary did not answer."""
    result, answered = [], True
    for link in await links_repo.links_of_user(db, user_id):
        holder = None
        if answered:
            try:
                holder = await describe(provider, link.person_id)
            except ProviderError:
                answered = False
        result.append(Identity(link.person_id, link.role, holder))
    return result, answered


async def owned_link(db: Database, user_id: int, person_id: str) -> links_repo.Link | None:
    """The account's link to this person, or None (a forged id looks like an unknown one)."""
    return next((link for link in await links_repo.links_of_user(db, user_id) if link.person_id == person_id), None)


async def has_links(db: Database, user_id: int) -> bool:
    return bool(await links_repo.links_of_user(db, user_id))


async def unlink(db: Database, *, user_id: int, person_id: str, now: datetime) -> bool:
    async with db.transaction():
        removed = await links_repo.remove_link(db, user_id, person_id)
        if removed:
            await audit.record(db, audit.UNLINKED, at=now, user_id=user_id, person_id=person_id)
    if removed:
        log.info("user %s removed one link", user_id)
    return removed


async def forget_everything(ctx: AppContext, db: Database, *, user_id: int, now: datetime) -> Erased:
    """/forget: every feature's data (their listeners, first: they may still look at the links) and the core
    tables go in one transaction."""
    async with db.transaction():
        await ctx.events.user_forgotten(ctx, user_id)
        erased = await forget_user(db, user_id)
        await audit.record(db, audit.FORGOTTEN, at=now, detail=f"links={erased.links}")
    log.info("a user erased their data (%d link(s))", erased.links)
    return erased
