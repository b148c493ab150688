"""The durable outbox: rows written in the same transaction as their cause, delivered by bot/alerts' sender."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.timeutil import from_db, to_db

METHODS = ("send_message", "copy_message", "send_document")


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    kind: str
    dedupe_key: str | None
    ref: str | None
    status: str
    attempts: int
    not_before: datetime
    next_attempt_at: datetime
    last_error: str | None
    sent_message_id: int | None
    sent_at: datetime | None = None
    claimed_at: datetime | None = None


def _item(row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        chat_id=row["chat_id"],
        method=row["method"],
        payload=json.loads(row["payload"]),
        kind=row["kind"],
        dedupe_key=row["dedupe_key"],
        ref=row["ref"],
        status=row["status"],
        attempts=row["attempts"],
        not_before=from_db(row["not_before"]),
        next_attempt_at=from_db(row["next_attempt_at"]),
        last_error=row["last_error"],
        sent_message_id=row["sent_message_id"],
        sent_at=from_db(row["sent_at"]),
        claimed_at=from_db(row["claimed_at"]),
    )


async def enqueue(
    db: Database,
    *,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    kind: str,
    now: datetime,
    not_before: datetime | None = None,
    dedupe_key: str | None = None,
    ref: str | None = None,
) -> int | None:
    """Queue one Bot API call; None when an item with this dedupe_key was queued before.

    Call it inside `db.transaction()` together with whatever records the cause as handled.
    `payload` holds the method's arguments except chat_id (e.g. text, reply_markup as a dict).
    """
    if method not in METHODS:
        raise ValueError(f"unknown outbox method {method!r}")
    start = to_db(not_before or now)
    cur = await db.execute(
        "INSERT OR IGNORE INTO outbox (chat_id, method, payload, kind, dedupe_key, ref, not_before,"
        " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (chat_id, method, json.dumps(payload, ensure_ascii=False), kind, dedupe_key, ref, start, start, to_db(now)),
    )
    return cur.lastrowid if cur.rowcount == 1 else None


async def get_item(db: Database, item_id: int) -> OutboxItem | None:
    row = await db.fetchone("SELECT * FROM outbox WHERE id = ?", (item_id,))
    return None if row is None else _item(row)


async def find_by_sent_message(db: Database, chat_id: int, message_id: int) -> OutboxItem | None:
    """The item whose delivery produced this Telegram message (to route replies to it)."""
    row = await db.fetchone(
        "SELECT * FROM outbox WHERE chat_id = ? AND sent_message_id = ? ORDER BY id DESC LIMIT 1", (chat_id, message_id)
    )
    return None if row is None else _item(row)


async def items_for_chat(db: Database, chat_id: int, status: str | None = None) -> list[OutboxItem]:
    if status is None:
        rows = await db.fetchall("SELECT * FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,))
    else:
        rows = await db.fetchall("SELECT * FROM outbox WHERE chat_id = ? AND status = ? ORDER BY id", (chat_id, status))
    return [_item(r) for r in rows]


async def forget_chat(db: Database, chat_id: int) -> None:
    """/forget: drop everything still queued for this user."""
    await db.execute("DELETE FROM outbox WHERE chat_id = ?", (chat_id,))


# --- delivery (bot/alerts/sender.py) ----------------------------------------------------------
# Life of an item: pending -> sending (claimed, in Telegram's hands) -> sent | pending (retry) | failed,
# or -> blocked while its user has blocked the bot, and back to pending once they write again.


async def due_heads(db: Database, horizon: datetime, limit: int) -> list[OutboxItem]:
    """The oldest due item of each reachable chat: a later item never overtakes an earlier one still waiting
    (for a retry, say) unless that one is deferred to a later time on purpose (quiet hours)."""
    rows = await db.fetchall(
        "SELECT o.* FROM outbox o LEFT JOIN users u ON u.user_id = o.chat_id"
        " WHERE o.status = 'pending' AND o.next_attempt_at <= :h AND o.not_before <= :h"
        " AND COALESCE(u.is_active, 1) = 1"
        " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id AND e.id < o.id"
        " AND e.status IN ('pending', 'sending', 'blocked') AND e.not_before <= :h)"
        " ORDER BY o.next_attempt_at, o.id LIMIT :limit",
        {"h": to_db(horizon), "limit": limit},
    )
    return [_item(r) for r in rows]


async def claim(db: Database, item_id: int, now: datetime) -> bool:
    """Mark the item in flight (committed before Telegram is called); False if it is no longer pending."""
    cur = await db.execute(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ?"
        " WHERE id = ? AND status = 'pending'",
        (to_db(now), item_id),
    )
    return cur.rowcount == 1


async def mark_sent(db: Database, item_id: int, message_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE outbox SET status = 'sent', sent_message_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
        (message_id, to_db(now), item_id),
    )


async def retry_later(db: Database, item_id: int, at: datetime, error: str, *, refund_attempt: bool = False) -> None:
    """Back to pending until `at`; `refund_attempt` when the failure was not the item's (flood control)."""
    await db.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?,"
        " attempts = MAX(attempts - ?, 0) WHERE id = ?",
        (to_db(at), error, int(refund_attempt), item_id),
    )


async def mark_failed(db: Database, item_id: int, error: str) -> None:
    await db.execute("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?", (error, item_id))


async def hold_chat(db: Database, item_id: int, chat_id: int, error: str) -> int:
    """The chat refused the bot (403): hold this item, uncounted, and everything else queued for the chat."""
    async with db.transaction():
        await db.execute(
            "UPDATE outbox SET status = 'blocked', last_error = ?, attempts = MAX(attempts - 1, 0) WHERE id = ?",
            (error, item_id),
        )
        cur = await db.execute(
            "UPDATE outbox SET status = 'blocked' WHERE chat_id = ? AND status = 'pending'", (chat_id,)
        )
    return cur.rowcount + 1


async def hold_inactive_chats(db: Database) -> int:
    """Items queued for users known to have blocked the bot wait instead of being tried."""
    cur = await db.execute(
        "UPDATE outbox SET status = 'blocked' WHERE status = 'pending'"
        " AND chat_id IN (SELECT user_id FROM users WHERE is_active = 0)"
    )
    return cur.rowcount


async def release_reachable_chats(db: Database) -> int:
    """Held items of users who wrote again (the user middleware set is_active) go back to the queue."""
    cur = await db.execute(
        "UPDATE outbox SET status = 'pending' WHERE status = 'blocked'"
        " AND chat_id NOT IN (SELECT user_id FROM users WHERE is_active = 0)"
    )
    return cur.rowcount


async def requeue_in_flight(db: Database) -> int:
    """At takeover: items a stopped sender left in flight go back to pending (each may be sent twice)."""
    cur = await db.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    return cur.rowcount


async def status_counts(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    return {row[0]: row[1] for row in rows}
