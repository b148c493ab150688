"""Database leases: at most one live holder per name, renewed by its holder, free to take once expired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class Lease:
    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


def _lease(row) -> Lease:
    return Lease(
        row["name"],
        row["holder"],
        from_db(row["acquired_at"]),
        from_db(row["expires_at"]),
    )


async def acquire(db: Database, name: str, holder: str, now: datetime, ttl: timedelta) -> Lease:
    """Take the lease if it is free or expired, renew it if `holder` has it; returns who holds it now."""
    stamp, expires = to_db(now), to_db(now + ttl)
    async with db.transaction():
        await db.execute(
            "INSERT INTO leases (name, holder, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET"
            " acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at"
            " ELSE excluded.acquired_at END,"
            " holder = excluded.holder, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at"
            " WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.renewed_at",
            (name, holder, stamp, stamp, expires),
        )
        row = await db.fetchone("SELECT * FROM leases WHERE name = ?", (name,))
    assert row is not None
    return _lease(row)


async def take_over(db: Database, name: str, holder: str, previous: str, now: datetime, ttl: timedelta) -> bool:
    """Take the lease from `previous`, known to be gone, before it expires; False if it changed hands."""
    stamp = to_db(now)
    cur = await db.execute(
        "UPDATE leases SET holder = ?, acquired_at = ?, renewed_at = ?, expires_at = ? WHERE name = ? AND holder = ?",
        (holder, stamp, stamp, to_db(now + ttl), name, previous),
    )
    return cur.rowcount == 1


async def release(db: Database, name: str, holder: str) -> bool:
    """Give the lease up at shutdown so a standby instance takes over at once."""
    cur = await db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))
    return cur.rowcount == 1


async def get_lease(db: Database, name: str) -> Lease | None:
    row = await db.fetchone("SELECT * FROM leases WHERE name = ?", (name,))
    return None if row is None else _lease(row)
