"""Per-user alert state: deadline reminders already sent, and alerts waiting for the daily summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.db import Database
from storage.timeutil import from_db, to_db


async def mark_reminded(db: Database, user_id: int, homework_id: str, due: date, now: datetime) -> bool:
    """Record one reminder; False when this user was already reminded of this homework for this date."""
    cur = await db.execute(
        "INSERT OR IGNORE INTO alert_reminders_sent (user_id, homework_id, due, sent_at) VALUES (?, ?, ?, ?)",
        (user_id, homework_id, due.isoformat(), to_db(now)),
    )
    return cur.rowcount == 1


async def reminded(db: Database, user_id: int, due: date) -> set[str]:
    rows = await db.fetchall(
        "SELECT homework_id FROM alert_reminders_sent WHERE user_id = ? AND due = ?", (user_id, due.isoformat())
    )
    return {r["homework_id"] for r in rows}


async def reminded_on(db: Database, due: date) -> dict[int, set[str]]:
    """Everyone's reminders already sent for homework due on `due`: user id -> homework ids."""
    rows = await db.fetchall(
        "SELECT user_id, homework_id FROM alert_reminders_sent WHERE due = ?", (due.isoformat(),), bulk=True
    )
    found: dict[int, set[str]] = {}
    for r in rows:
        found.setdefault(r["user_id"], set()).add(r["homework_id"])
    return found


async def prune_reminders(db: Database, before: date) -> int:
    """Reminder marks of homework due before `before` are no longer needed."""
    cur = await db.execute("DELETE FROM alert_reminders_sent WHERE due < ?", (before.isoformat(),))
    return cur.rowcount


@dataclass(frozen=True, slots=True)
class DigestItem:
    id: int
    user_id: int
    kind: str  # 'grades' | 'timetable'
    payload: dict[str, Any]
    created_at: datetime


async def add_digest_item(db: Database, user_id: int, kind: str, payload: dict[str, Any], now: datetime) -> None:
    await db.execute(
        "INSERT INTO alert_digest_items (user_id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
        (user_id, kind, json.dumps(payload, ensure_ascii=False), to_db(now)),
    )


async def digest_items(db: Database, user_id: int, created_before: datetime | None = None) -> list[DigestItem]:
    """The user's waiting items, oldest first (only those created before `created_before` when given)."""
    rows = await db.fetchall(
        "SELECT id, user_id, kind, payload, created_at FROM alert_digest_items WHERE user_id = ?"
        " AND (? IS NULL OR created_at < ?) ORDER BY id",
        (user_id, *(2 * [None if created_before is None else to_db(created_before)])),
    )
    return [
        DigestItem(
            r["id"],
            r["user_id"],
            r["kind"],
            json.loads(r["payload"]),
            from_db(r["created_at"]),
        )
        for r in rows
    ]


async def users_with_digest_items(db: Database) -> list[int]:
    rows = await db.fetchall("SELECT DISTINCT user_id FROM alert_digest_items ORDER BY user_id")
    return [r["user_id"] for r in rows]


async def drop_digest_items(db: Database, item_ids: list[int]) -> None:
    for item_id in item_ids:
        await db.execute("DELETE FROM alert_digest_items WHERE id = ?", (item_id,))


async def forget_user(db: Database, user_id: int) -> None:
    """/forget: this user's reminder marks and waiting summary items."""
    for table in ("alert_digest_items", "alert_reminders_sent"):
        await db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
