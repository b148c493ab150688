"""Redeeming a code: check it (and show whom it is for), then link after the person confirms.

Every answer is a `Redemption` with its own verdict, so the chat can say exactly what happened.
Failures (unknown, expired, used, revoked) count against the rate limit; nothing else does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.codes.code import normalize_code
from bot.codes.holder import Holder, describe
from bot.codes.secret import CodeHasher
from bot.context import AppContext
from bot.ediary.provider import EdiaryProvider
from bot.linking import ratelimit
from storage import audit
from storage import codes as codes_repo
from storage import links as links_repo
from storage.db import Database

log = logging.getLogger(__name__)


class Verdict(StrEnum):
    READY = "ready"  # valid: ask the person to confirm
    LINKED = "linked"  # confirmed and linked
    MALFORMED = "malformed"  # not shaped like a code (not counted as a failure)
    BLOCKED = "blocked"  # too many failures: not even looked up
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    USED_HERE = "used_here"  # this account already used this very code
    ALREADY_LINKED = "already_linked"  # a valid code for someone this account is linked to: left unused
    GONE = "gone"  # the e-diary no longer knows the person


_STATUS_VERDICT = {
    codes_repo.EXPIRED: Verdict.EXPIRED,
    codes_repo.USED: Verdict.USED,
    codes_repo.REVOKED: Verdict.REVOKED,
}


@dataclass(frozen=True, slots=True)
class Redemption:
    verdict: Verdict
    code: codes_repo.StoredCode | None = None
    holder: Holder | None = None
    retry_at: datetime | None = None  # BLOCKED, or the failure that reached the limit
    attempts_left: int | None = None  # after a counted failure


async def check_code(
    db: Database,
    provider: EdiaryProvider,
    hasher: CodeHasher,
    *,
    user_id: int,
    text: str | None,
    now: datetime,
) -> Redemption:
    """Step one: what this code is. Uses nothing up. Raises ProviderError when the e-diary is down."""
    canonical = normalize_code(text)
    if canonical is None:
        return Redemption(Verdict.MALFORMED)
    user_key = hasher.user(user_id)
    standing = await ratelimit.standing(db, user_key, now)
    if standing.blocked_until is not None:
        await audit.record(db, audit.ATTEMPT_WHILE_BLOCKED, at=now, user_id=user_id)
        return Redemption(Verdict.BLOCKED, retry_at=standing.blocked_until)
    code = await codes_repo.find_by_hash(db, hasher.code(canonical))
    if code is None:
        return await _failure(db, user_id, user_key, Verdict.UNKNOWN, None, now)
    status = code.status(now)
    if status == codes_repo.USED and code.used_by == user_id:
        return Redemption(Verdict.USED_HERE, code=code, holder=await describe(provider, code.person_id))
    if status != codes_repo.VALID:
        return await _failure(db, user_id, user_key, _STATUS_VERDICT[status], code, now)
    holder = await describe(provider, code.person_id)
    if holder is None:
        return Redemption(Verdict.GONE, code=code)
    if await _linked(db, user_id, code.person_id):
        return Redemption(Verdict.ALREADY_LINKED, code=code, holder=holder)
    return Redemption(Verdict.READY, code=code, holder=holder)


async def confirm_link(
    ctx: AppContext,
    db: Database,
    provider: EdiaryProvider,
    *,
    user_id: int,
    code_id: int,
    now: datetime,
) -> Redemption:
    """Step two, after the person confirmed: use the code and link, atomically, and tell the features.

    The code is re-checked: between the two steps it may have been used elsewhere, revoked or expired.
    """
    code = await codes_repo.get_code(db, code_id)
    if code is None:
        return Redemption(Verdict.UNKNOWN)
    holder = await describe(provider, code.person_id)
    if holder is None:
        return Redemption(Verdict.GONE, code=code)
    async with db.transaction():
        if await _linked(db, user_id, code.person_id):
            return Redemption(Verdict.ALREADY_LINKED, code=code, holder=holder)
        if not await codes_repo.mark_used(db, code.id, user_id, now):
            current = await codes_repo.get_code(db, code.id)
            assert current is not None
            return Redemption(_STATUS_VERDICT.get(current.status(now), Verdict.USED), code=current, holder=holder)
        await links_repo.add_link(db, user_id, code.person_id, code.role, now)
        await audit.record(db, audit.LINKED, at=now, user_id=user_id, person_id=code.person_id)
        await ctx.events.person_linked(ctx, user_id, code.person_id, code.role)
    log.info("user %s linked a %s identity", user_id, code.role)
    return Redemption(Verdict.LINKED, code=code, holder=holder)


async def _linked(db: Database, user_id: int, person_id: str) -> bool:
    return any(link.person_id == person_id for link in await links_repo.links_of_user(db, user_id))


async def _failure(
    db: Database,
    user_id: int,
    user_key: str,
    verdict: Verdict,
    code: codes_repo.StoredCode | None,
    now: datetime,
) -> Redemption:
    person_id = code.person_id if code is not None else None
    async with db.transaction():
        await audit.record(db, audit.CODE_FAILED, at=now, user_id=user_id, person_id=person_id, detail=verdict.value)
        standing = await ratelimit.record_failure(db, user_key, now)
        if standing.blocked_until is not None:
            await audit.record(db, audit.CODE_BLOCKED, at=now, user_id=user_id)
    log.info("user %s: code attempt failed (%s), %d left", user_id, verdict.value, standing.failures_left)
    return Redemption(verdict, code=code, retry_at=standing.blocked_until, attempts_left=standing.failures_left)
