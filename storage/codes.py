"""Link codes (stored as keyed hashes) and the failed-attempt log behind the rate limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, to_db

# What a stored code is now; the order of checks matters (a used code stays "used" after it expires).
VALID, USED, REVOKED, EXPIRED = "valid", "used", "revoked", "expired"


@dataclass(frozen=True, slots=True)
class StoredCode:
    id: int
    person_id: str
    role: str
    created_at: datetime
    expires_at: datetime
    issued_by: int | None
    used_at: datetime | None
    used_by: int | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        if self.used_at is not None:
            return USED
        if self.revoked_at is not None:
            return REVOKED
        if now >= self.expires_at:
            return EXPIRED
        return VALID


def _code(row) -> StoredCode:
    return StoredCode(
        id=row["id"],
        person_id=row["person_id"],
        role=row["role"],
        created_at=from_db(row["created_at"]),
        expires_at=from_db(row["expires_at"]),
        issued_by=row["issued_by"],
        used_at=from_db(row["used_at"]),
        used_by=row["used_by"],
        revoked_at=from_db(row["revoked_at"]),
    )


async def add_code(
    db: Database,
    *,
    code_hash: str,
    person_id: str,
    role: str,
    now: datetime,
    expires_at: datetime,
    issued_by: int | None,
) -> int:
    cur = await db.execute(
        "INSERT INTO link_codes (code_hash, person_id, role, created_at, expires_at, issued_by)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (code_hash, person_id, role, to_db(now), to_db(expires_at), issued_by),
    )
    if cur.lastrowid is None:  # sqlite3 sets it after every successful INSERT
        raise RuntimeError("the new code has no row id")
    return cur.lastrowid


async def hash_exists(db: Database, code_hash: str) -> bool:
    return await db.fetchval("SELECT 1 FROM link_codes WHERE code_hash = ?", (code_hash,)) is not None


async def find_by_hash(db: Database, code_hash: str) -> StoredCode | None:
    row = await db.fetchone("SELECT * FROM link_codes WHERE code_hash = ?", (code_hash,))
    return None if row is None else _code(row)


async def get_code(db: Database, code_id: int) -> StoredCode | None:
    row = await db.fetchone("SELECT * FROM link_codes WHERE id = ?", (code_id,))
    return None if row is None else _code(row)


async def codes_of_person(db: Database, person_id: str) -> list[StoredCode]:
    rows = await db.fetchall("SELECT * FROM link_codes WHERE person_id = ? ORDER BY id", (person_id,))
    return [_code(r) for r in rows]


async def valid_codes_of_people(db: Database, person_ids: list[str], now: datetime) -> list[StoredCode]:
    """The codes of these people that could still be used (not used, revoked or expired), oldest first."""
    if not person_ids:
        return []
    marks = ",".join("?" * len(person_ids))
    rows = await db.fetchall(
        f"SELECT * FROM link_codes WHERE person_id IN ({marks})"
        " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at, id",
        [*person_ids, to_db(now)],
    )
    return [_code(r) for r in rows]


async def mark_used(db: Database, code_id: int, user_id: int, now: datetime) -> bool:
    """Use the code if it is still valid; False when someone else used it, or it was revoked or expired."""
    cur = await db.execute(
        "UPDATE link_codes SET used_at = ?, used_by = ?"
        " WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
        (to_db(now), user_id, code_id, to_db(now)),
    )
    return cur.rowcount == 1


async def revoke(db: Database, code_id: int, now: datetime) -> bool:
    cur = await db.execute(
        "UPDATE link_codes SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
        (to_db(now), code_id),
    )
    return cur.rowcount == 1


async def revoke_unused_of_person(db: Database, person_id: str, now: datetime) -> int:
    """Revoke the person's codes that could still be used; returns how many."""
    cur = await db.execute(
        "UPDATE link_codes SET revoked_at = ?"
        " WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
        (to_db(now), person_id, to_db(now)),
    )
    return cur.rowcount


async def forget_user(db: Database, user_id: int) -> None:
    """/forget: codes stay (they are the school's records) but no longer point at this Telegram id."""
    await db.execute("UPDATE link_codes SET used_by = NULL WHERE used_by = ?", (user_id,))
    await db.execute("UPDATE link_codes SET issued_by = NULL WHERE issued_by = ?", (user_id,))


# failed attempts (rate limit)
async def add_failed_attempt(db: Database, user_key: str, now: datetime, keep_after: datetime) -> None:
    """Record a failure and drop everyone's failures older than `keep_after` (outside any window)."""
    await db.execute("DELETE FROM code_attempts WHERE at <= ?", (to_db(keep_after),))
    await db.execute("INSERT INTO code_attempts (user_key, at) VALUES (?, ?)", (user_key, to_db(now)))


async def failed_attempts_since(db: Database, user_key: str, since: datetime) -> list[datetime]:
    """Times of this user's failures after `since`, oldest first."""
    rows = await db.fetchall(
        "SELECT at FROM code_attempts WHERE user_key = ? AND at > ? ORDER BY at", (user_key, to_db(since))
    )
    return [from_db(r["at"]) for r in rows]
