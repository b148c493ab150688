"""Single active instance: a lease in the database decides which running bot polls the e-diary and sends.

A second bot on the same database stands by (it says so once in its log) and takes over when the first
releases the lease at shutdown or stops renewing it (killed, hung) for LEASE_TTL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.context import AppContext
from storage import leases

log = logging.getLogger(__name__)

LEASE_NAME = "active-instance"
LEASE_TTL = timedelta(seconds=60)
RENEW_EVERY = timedelta(seconds=5)  # also how often a standby instance looks whether the lease is free


@dataclass
class LeaseState:
    holder: str
    held: bool = False
    checked_at: datetime | None = None
    term: int = 0  # +1 each time this instance becomes the holder: the sender then recovers in-flight items
    standing_by_logged: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def new_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


async def hold_lease(ctx: AppContext, *, force: bool = False) -> bool:
    """Acquire or renew the lease; True if this instance is the active one.

    Cheap to call often: the database is asked at most every RENEW_EVERY unless `force`."""
    state = ctx.lease
    if not force and _fresh(state, ctx.clock.now()):
        return state.held
    async with state.lock:
        now = ctx.clock.now()
        if not force and _fresh(state, now):
            return state.held
        db, was_held = ctx.database, state.held
        try:
            lease = await leases.acquire(db, LEASE_NAME, state.holder, now, LEASE_TTL)
            if (
                lease.holder != state.holder
                and _holder_is_gone(lease.holder)
                and await leases.take_over(db, LEASE_NAME, state.holder, lease.holder, now, LEASE_TTL)
            ):
                log.info("the previous holder %s of the lease is no longer running", lease.holder)
                lease = await leases.get_lease(db, LEASE_NAME) or lease
        except Exception:
            state.held, state.checked_at = False, None  # unsure: act as a standby until the database answers
            raise
        state.held, state.checked_at = lease.holder == state.holder, now
        if state.held and not was_held:
            state.term += 1
            state.standing_by_logged = False
            log.info("lease acquired by %s: this instance polls the e-diary and sends messages", state.holder)
        elif not state.held and (was_held or not state.standing_by_logged):
            state.standing_by_logged = True
            log.warning(
                "another instance holds the lease; standing by (holder %s, lease expires %s)",
                lease.holder,
                lease.expires_at.isoformat(),
            )
        return state.held


async def release_lease(ctx: AppContext) -> None:
    """At shutdown: hand over at once instead of making a standby wait for the lease to expire."""
    state = ctx.lease
    async with state.lock:
        if not state.held or ctx.db is None:  # a bot whose start failed holds nothing
            return
        state.held, state.checked_at = False, None
        if await leases.release(ctx.db, LEASE_NAME, state.holder):
            log.info("lease released by %s", state.holder)


def _fresh(state: LeaseState, now: datetime) -> bool:
    # renewing this often keeps the lease far from expiry, so a cached "held" is still true
    return state.checked_at is not None and timedelta(0) <= now - state.checked_at < RENEW_EVERY


def _holder_is_gone(holder: str) -> bool:
    """A holder on this host whose process has exited (a restart after kill -9 need not wait for expiry)."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists but belongs to someone else
        return False
    return False
