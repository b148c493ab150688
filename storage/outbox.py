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


def _item(row) -> OutboxItem:
    return OutboxItem(
        id=row["id"], chat_id=row["chat_id"], method=row["method"], payload=json.loads(row["payload"]),
        kind=row["kind"], dedupe_key=row["dedupe_key"], ref=row["ref"], status=row["status"],
        attempts=row["attempts"], not_before=from_db(row["not_before"]),  # type: ignore[arg-type]
        next_attempt_at=from_db(row["next_attempt_at"]),  # type: ignore[arg-type]
        last_error=row["last_error"], sent_message_id=row["sent_message_id"],
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
