"""Announcements to a class or the whole school (bot/announce), and how far their outbox items got."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    author_user_id: int
    class_name: str | None  # None: the whole school
    students_too: bool
    sender_kind: str  # 'homeroom' | 'admin'
    sender_name: str | None
    kind: str  # 'text' | 'photo'
    body: str
    source_chat_id: int
    source_message_id: int
    recipients: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """Accounts by how far their copy got (an account's copy may be several outbox items)."""

    delivered: int = 0
    waiting: int = 0  # queued; quiet hours or Telegram's pace
    unreachable: int = 0  # blocked the bot, or Telegram refused for good


_COLUMNS = (
    "id, author_user_id, class_name, students_too, sender_kind, sender_name, kind, body, source_chat_id,"
    " source_message_id, recipients, created_at"
)


def _announcement(row) -> Announcement:
    return Announcement(
        row["id"],
        row["author_user_id"],
        row["class_name"],
        bool(row["students_too"]),
        row["sender_kind"],
        row["sender_name"],
        row["kind"],
        row["body"],
        row["source_chat_id"],
        row["source_message_id"],
        row["recipients"],
        from_db(row["created_at"]),
    )


async def add_announcement(
    db: Database,
    *,
    author_user_id: int,
    class_name: str | None,
    students_too: bool,
    sender_kind: str,
    sender_name: str | None,
    kind: str,
    body: str,
    source_chat_id: int,
    source_message_id: int,
    now: datetime,
) -> Announcement | None:
    """None when this draft (its Telegram message) was sent before. `recipients` is set by set_recipients."""
    cur = await db.execute(
        "INSERT OR IGNORE INTO announcements (author_user_id, class_name, students_too, sender_kind, sender_name,"
        " kind, body, source_chat_id, source_message_id, recipients, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        (
            author_user_id,
            class_name,
            int(students_too),
            sender_kind,
            sender_name,
            kind,
            body,
            source_chat_id,
            source_message_id,
            to_db(now),
        ),
    )
    if cur.rowcount != 1 or cur.lastrowid is None:
        return None
    return await get_announcement(db, cur.lastrowid)


async def set_recipients(db: Database, announcement_id: int, recipients: int) -> None:
    await db.execute("UPDATE announcements SET recipients = ? WHERE id = ?", (recipients, announcement_id))


async def get_announcement(db: Database, announcement_id: int) -> Announcement | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM announcements WHERE id = ?", (announcement_id,))
    return None if row is None else _announcement(row)


async def sent_since(db: Database, author_user_id: int, since: datetime) -> list[datetime]:
    """When the author's announcements after `since` were sent, oldest first (the rate limit)."""
    rows = await db.fetchall(
        "SELECT created_at FROM announcements WHERE author_user_id = ? AND created_at > ? ORDER BY created_at",
        (author_user_id, to_db(since)),
    )
    return [moment for r in rows if (moment := from_db(r["created_at"])) is not None]


async def by_author(db: Database, author_user_id: int, limit: int, offset: int = 0) -> list[Announcement]:
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM announcements WHERE author_user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (author_user_id, limit, offset),
    )
    return [_announcement(r) for r in rows]


async def count_by_author(db: Database, author_user_id: int) -> int:
    return int(await db.fetchval("SELECT COUNT(*) FROM announcements WHERE author_user_id = ?", (author_user_id,)))


async def delivery(db: Database, ref: str) -> Delivery:
    """How far the outbox items with this ref got, per account."""
    rows = await db.fetchall(
        "SELECT chat_id, SUM(status = 'sent') AS sent, COUNT(*) AS items,"
        " SUM(status IN ('failed', 'blocked')) AS stuck FROM outbox WHERE ref = ? GROUP BY chat_id",
        (ref,),
    )
    delivered = sum(1 for r in rows if r["sent"] == r["items"])
    unreachable = sum(1 for r in rows if r["stuck"])
    return Delivery(delivered, len(rows) - delivered - unreachable, unreachable)


async def forget_author(db: Database, user_id: int, *, outbox_ref: Callable[[int], str]) -> int:
    """/forget: the account's announcements go, with their copies still waiting in the outbox (those already
    delivered stay in the recipients' chats)."""
    rows = await db.fetchall("SELECT id FROM announcements WHERE author_user_id = ?", (user_id,))
    for row in rows:
        await db.execute(
            "DELETE FROM outbox WHERE ref = ? AND status IN ('pending', 'blocked')", (outbox_ref(row["id"]),)
        )
    await db.execute("DELETE FROM announcements WHERE author_user_id = ?", (user_id,))
    return len(rows)
