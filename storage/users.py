"""Telegram users: language and reachability. No personal data beyond the numeric id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.timeutil import from_db, to_db

SEEN_EVERY = timedelta(minutes=10)  # last_seen_at is this fresh at least


@dataclass(frozen=True, slots=True)
class User:
    user_id: int
    language: str | None
    telegram_language: str | None
    is_active: bool


def _row_to_user(row) -> User:
    return User(row["user_id"], row["language"], row["telegram_language"], bool(row["is_active"]))


async def touch_user(db: Database, user_id: int, telegram_language: str | None, now: datetime) -> User:
    """Record that the user wrote; a user who writes is reachable again after a 403. Written only when something
    changed, or when the stored last_seen_at is older than SEEN_EVERY (every update of a busy user would be a
    write transaction otherwise)."""
    row = await db.fetchone(
        "SELECT user_id, language, telegram_language, is_active, last_seen_at FROM users WHERE user_id = ?",
        (user_id,),
    )
    if (
        row is not None
        and row["is_active"]
        and row["telegram_language"] == telegram_language
        and (seen := from_db(row["last_seen_at"])) is not None
        and now - SEEN_EVERY < seen <= now
    ):
        return _row_to_user(row)
    stamp = to_db(now)
    # one round trip: upsert and read back together
    async with (
        db.transaction() as conn,
        conn.execute(
            "INSERT INTO users (user_id, telegram_language, is_active, created_at, last_seen_at)"
            " VALUES (?, ?, 1, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET telegram_language = excluded.telegram_language,"
            " is_active = 1, last_seen_at = excluded.last_seen_at"
            " RETURNING user_id, language, telegram_language, is_active",
            (user_id, telegram_language, stamp, stamp),
        ) as cursor,
    ):
        row = await cursor.fetchone()
    return _row_to_user(row)


async def get_user(db: Database, user_id: int) -> User | None:
    row = await db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
    return None if row is None else _row_to_user(row)


async def set_language(db: Database, user_id: int, language: str | None) -> None:
    await db.execute("UPDATE users SET language = ? WHERE user_id = ?", (language, user_id))


async def set_active(db: Database, user_id: int, active: bool) -> None:
    await db.execute("UPDATE users SET is_active = ? WHERE user_id = ?", (int(active), user_id))


async def user_language(db: Database, user_id: int) -> str | None:
    """The saved choice, else Telegram's language code (for jobs that have no update at hand)."""
    row = await db.fetchone("SELECT language, telegram_language FROM users WHERE user_id = ?", (user_id,))
    if row is None:
        return None
    return row["language"] or row["telegram_language"]
