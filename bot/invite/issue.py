"""Issuing and revoking codes: the same service for the CLI and for /invite in the bot."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.codes.code import deep_link, format_code, generate_code
from bot.codes.holder import Holder
from bot.codes.secret import CodeHasher
from bot.codes.validity import expiry_for
from storage import audit
from storage import codes as codes_repo
from storage.db import Database

_DRAFT_TRIES = 5  # a fresh code equal to a stored one is astronomically unlikely; draw again if it happens


@dataclass(frozen=True, slots=True)
class Invitation:
    holder: Holder
    code: str  # canonical; exists only in memory and in what is handed out
    link: str
    expires_at: datetime
    code_id: int

    @property
    def display_code(self) -> str:
        return format_code(self.code)


async def issue_codes(
    db: Database,
    hasher: CodeHasher,
    holders: list[Holder],
    *,
    bot_username: str,
    now: datetime,
    ttl_days: int,
    tz: tzinfo,
    issued_by: int | None,
    via: str,
) -> list[Invitation]:
    """A fresh code for each holder, stored (as hashes) in one transaction with their audit rows."""
    replaced = await replace_codes(
        db,
        hasher,
        holders,
        bot_username=bot_username,
        now=now,
        ttl_days=ttl_days,
        tz=tz,
        issued_by=issued_by,
        via=via,
        revoke_old=False,
    )
    return replaced.invitations


@dataclass(frozen=True, slots=True)
class Replaced:
    invitations: list[Invitation]
    revoked: int  # the holders' earlier codes that could still have been used, now revoked


async def replace_codes(
    db: Database,
    hasher: CodeHasher,
    holders: list[Holder],
    *,
    bot_username: str,
    now: datetime,
    ttl_days: int,
    tz: tzinfo,
    issued_by: int | None,
    via: str,
    revoke_old: bool,
) -> Replaced:
    """A fresh code for each holder; with `revoke_old`, their unused earlier codes stop working in the same
    transaction (as `invite --person ID --revoke` would), so nobody is left with two codes or with none."""
    expires_at = expiry_for(now, ttl_days, tz)
    for attempt in range(_DRAFT_TRIES):
        drafts = [(holder, generate_code()) for holder in holders]
        try:
            async with db.transaction():
                revoked = 0
                issued = []
                for holder, code in drafts:
                    if revoke_old:
                        revoked += await _revoke_unused(db, holder.id, now, via=via, revoked_by=issued_by)
                    code_id = await codes_repo.add_code(
                        db,
                        code_hash=hasher.code(code),
                        person_id=holder.id,
                        role=holder.role.value,
                        now=now,
                        expires_at=expires_at,
                        issued_by=issued_by,
                    )
                    await audit.record(
                        db, audit.CODE_ISSUED, at=now, user_id=issued_by, person_id=holder.id, detail=via
                    )
                    issued.append(Invitation(holder, code, deep_link(bot_username, code), expires_at, code_id))
            return Replaced(issued, revoked)
        except sqlite3.IntegrityError:
            if attempt == _DRAFT_TRIES - 1:
                raise
    raise AssertionError("unreachable")


async def revoke_batch(db: Database, invitations: list[Invitation], now: datetime, *, via: str) -> None:
    """Take back codes that were issued but could not be handed out (e.g. the file could not be written)."""
    async with db.transaction():
        for invitation in invitations:
            if await codes_repo.revoke(db, invitation.code_id, now):
                await audit.record(db, audit.CODE_REVOKED, at=now, person_id=invitation.holder.id, detail=via)


async def revoke_person(db: Database, person_id: str, now: datetime, *, via: str, revoked_by: int | None = None) -> int:
    """Revoke every code of the person that could still be used; returns how many."""
    async with db.transaction():
        return await _revoke_unused(db, person_id, now, via=via, revoked_by=revoked_by)


async def _revoke_unused(db: Database, person_id: str, now: datetime, *, via: str, revoked_by: int | None) -> int:
    count = await codes_repo.revoke_unused_of_person(db, person_id, now)
    if count:
        await audit.record(
            db, audit.CODE_REVOKED, at=now, user_id=revoked_by, person_id=person_id, detail=f"{via}:{count}"
        )
    return count


@dataclass(frozen=True, slots=True)
class RevokeResult:
    found: codes_repo.StoredCode | None
    status_before: str | None  # codes_repo.VALID / USED / REVOKED / EXPIRED; None: unknown code

    @property
    def revoked(self) -> bool:
        return self.status_before == codes_repo.VALID


async def revoke_code(
    db: Database, hasher: CodeHasher, canonical_code: str, now: datetime, *, via: str, revoked_by: int | None = None
) -> RevokeResult:
    async with db.transaction():
        stored = await codes_repo.find_by_hash(db, hasher.code(canonical_code))
        if stored is None:
            return RevokeResult(None, None)
        status = stored.status(now)
        if status == codes_repo.VALID:
            await codes_repo.revoke(db, stored.id, now)
            await audit.record(
                db, audit.CODE_REVOKED, at=now, user_id=revoked_by, person_id=stored.person_id, detail=via
            )
        return RevokeResult(stored, status)
