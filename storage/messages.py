"""Conversations with teachers: threads, their messages, read marks, mutes and the per-sender rate count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class Thread:
    id: int
    sender_person_id: str
    sender_role: str  # 'parent' | 'student'
    teacher_id: str
    student_id: str
    sender_name: str
    teacher_name: str
    teacher_subjects: tuple[str, ...]
    student_name: str
    class_name: str
    last_message_at: datetime
    student_sex: str | None = None  # 'male' | 'female' | None: not known


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    id: int
    thread_id: int
    from_teacher: bool
    author_user_id: int
    kind: str  # 'text' | 'photo' | 'document'
    body: str
    file_name: str | None
    source_chat_id: int
    source_message_id: int
    created_at: datetime
    awaiting_recipient: bool
    ediary_state: str | None


def _thread(row) -> Thread:
    subjects = tuple(s for s in row["teacher_subjects"].split(", ") if s)
    return Thread(
        row["id"],
        row["sender_person_id"],
        row["sender_role"],
        row["teacher_id"],
        row["student_id"],
        row["sender_name"],
        row["teacher_name"],
        subjects,
        row["student_name"],
        row["class_name"],
        from_db(row["last_message_at"]),
        row["student_sex"],
    )


def _message(row) -> ThreadMessage:
    return ThreadMessage(
        row["id"],
        row["thread_id"],
        bool(row["from_teacher"]),
        row["author_user_id"],
        row["kind"],
        row["body"],
        row["file_name"],
        row["source_chat_id"],
        row["source_message_id"],
        from_db(row["created_at"]),
        bool(row["awaiting_recipient"]),
        row["ediary_state"],
    )


# --- threads ---------------------------------------------------------------------------------------


async def upsert_thread(
    db: Database,
    *,
    sender_person_id: str,
    sender_role: str,
    teacher_id: str,
    student_id: str,
    sender_name: str,
    teacher_name: str,
    teacher_subjects: tuple[str, ...],
    student_name: str,
    class_name: str,
    now: datetime,
    student_sex: str | None = None,
) -> Thread:
    """The thread of (sender, teacher, student), created on first use; names refreshed from the e-diary."""
    await db.execute(
        "INSERT INTO message_threads (sender_person_id, sender_role, teacher_id, student_id, sender_name,"
        " teacher_name, teacher_subjects, student_name, class_name, created_at, last_message_at, student_sex)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (sender_person_id, teacher_id, student_id) DO UPDATE SET sender_name = excluded.sender_name,"
        " teacher_name = excluded.teacher_name, teacher_subjects = excluded.teacher_subjects,"
        " student_name = excluded.student_name, class_name = excluded.class_name,"
        " student_sex = excluded.student_sex",
        (
            sender_person_id,
            sender_role,
            teacher_id,
            student_id,
            sender_name,
            teacher_name,
            ", ".join(teacher_subjects),
            student_name,
            class_name,
            to_db(now),
            to_db(now),
            student_sex,
        ),
    )
    row = await db.fetchone(
        "SELECT * FROM message_threads WHERE sender_person_id = ? AND teacher_id = ? AND student_id = ?",
        (sender_person_id, teacher_id, student_id),
    )
    return _thread(row)


async def get_thread(db: Database, thread_id: int) -> Thread | None:
    row = await db.fetchone("SELECT * FROM message_threads WHERE id = ?", (thread_id,))
    return None if row is None else _thread(row)


async def threads_of_people(db: Database, person_ids: list[str]) -> list[Thread]:
    """Threads where one of these people is the teacher or the family-side sender, latest first."""
    if not person_ids:
        return []
    marks = ",".join("?" * len(person_ids))
    rows = await db.fetchall(
        f"SELECT * FROM message_threads WHERE teacher_id IN ({marks}) OR sender_person_id IN ({marks})"
        " ORDER BY last_message_at DESC, id DESC",
        [*person_ids, *person_ids],
    )
    return [_thread(r) for r in rows]


# --- messages --------------------------------------------------------------------------------------


async def add_message(
    db: Database,
    *,
    thread_id: int,
    from_teacher: bool,
    author_user_id: int,
    kind: str,
    body: str,
    file_name: str | None,
    source_chat_id: int,
    source_message_id: int,
    now: datetime,
) -> ThreadMessage | None:
    """Store a message; None when this Telegram message was stored before (a repeated update or click)."""
    cur = await db.execute(
        "INSERT OR IGNORE INTO thread_messages (thread_id, from_teacher, author_user_id, kind, body, file_name,"
        " source_chat_id, source_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            thread_id,
            int(from_teacher),
            author_user_id,
            kind,
            body,
            file_name,
            source_chat_id,
            source_message_id,
            to_db(now),
        ),
    )
    if cur.rowcount != 1:
        return None
    await db.execute("UPDATE message_threads SET last_message_at = ? WHERE id = ?", (to_db(now), thread_id))
    return await get_message(db, cur.lastrowid)  # type: ignore[arg-type]  # an insert just happened: an id


async def get_message(db: Database, message_id: int) -> ThreadMessage | None:
    row = await db.fetchone("SELECT * FROM thread_messages WHERE id = ?", (message_id,))
    return None if row is None else _message(row)


async def set_delivery_state(db: Database, message_id: int, *, awaiting: bool, ediary_state: str | None) -> None:
    await db.execute(
        "UPDATE thread_messages SET awaiting_recipient = ?, ediary_state = ? WHERE id = ?",
        (int(awaiting), ediary_state, message_id),
    )


async def count_messages(db: Database, thread_id: int) -> int:
    return int(await db.fetchval("SELECT COUNT(*) FROM thread_messages WHERE thread_id = ?", (thread_id,)))


async def message_page(db: Database, thread_id: int, page: int, size: int) -> list[ThreadMessage]:
    """Page 0 is the latest `size` messages; each page is returned oldest first."""
    rows = await db.fetchall(
        "SELECT * FROM thread_messages WHERE thread_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (thread_id, size, page * size),
    )
    return [_message(r) for r in reversed(rows)]


async def last_message(db: Database, thread_id: int) -> ThreadMessage | None:
    row = await db.fetchone("SELECT * FROM thread_messages WHERE thread_id = ? ORDER BY id DESC LIMIT 1", (thread_id,))
    return None if row is None else _message(row)


async def awaiting_messages(db: Database, person_id: str, *, as_teacher: bool) -> list[ThreadMessage]:
    """Messages stored while nobody had linked as `person_id` (the teacher, or the family-side sender)."""
    column, direction = ("teacher_id", 0) if as_teacher else ("sender_person_id", 1)
    rows = await db.fetchall(
        f"SELECT m.* FROM thread_messages m JOIN message_threads t ON t.id = m.thread_id"
        f" WHERE m.awaiting_recipient = 1 AND m.from_teacher = ? AND t.{column} = ? ORDER BY m.id",
        (direction, person_id),
    )
    return [_message(r) for r in rows]


async def ediary_pending(db: Database, limit: int = 50) -> list[ThreadMessage]:
    rows = await db.fetchall(
        "SELECT * FROM thread_messages WHERE ediary_state = 'pending' ORDER BY id LIMIT ?", (limit,)
    )
    return [_message(r) for r in rows]


async def set_ediary_state(db: Database, message_id: int, state: str) -> None:
    await db.execute("UPDATE thread_messages SET ediary_state = ? WHERE id = ?", (state, message_id))


# --- read marks, mutes, rate -----------------------------------------------------------------------


async def mark_read(db: Database, thread_id: int, user_id: int, up_to_id: int) -> None:
    await db.execute(
        "INSERT INTO thread_reads (thread_id, user_id, last_read_id) VALUES (?, ?, ?)"
        " ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)",
        (thread_id, user_id, up_to_id),
    )


async def unread_count(db: Database, thread_id: int, user_id: int, *, from_teacher: bool) -> int:
    """The other side's messages this account has not opened (`from_teacher`: which side wrote them)."""
    return int(
        await db.fetchval(
            "SELECT COUNT(*) FROM thread_messages WHERE thread_id = ? AND from_teacher = ? AND id > COALESCE("
            "(SELECT last_read_id FROM thread_reads WHERE thread_id = ? AND user_id = ?), 0)",
            (thread_id, int(from_teacher), thread_id, user_id),
        )
    )


async def set_muted(db: Database, thread_id: int, user_id: int, muted: bool, now: datetime) -> None:
    if muted:
        await db.execute(
            "INSERT OR IGNORE INTO thread_mutes (thread_id, user_id, muted_at) VALUES (?, ?, ?)",
            (thread_id, user_id, to_db(now)),
        )
    else:
        await db.execute("DELETE FROM thread_mutes WHERE thread_id = ? AND user_id = ?", (thread_id, user_id))


async def is_muted(db: Database, thread_id: int, user_id: int) -> bool:
    return (
        await db.fetchval("SELECT 1 FROM thread_mutes WHERE thread_id = ? AND user_id = ?", (thread_id, user_id))
        is not None
    )


async def family_messages_since(db: Database, user_id: int, since: datetime) -> list[datetime]:
    """When this account wrote to teachers since `since`, oldest first (for the hourly limit)."""
    rows = await db.fetchall(
        "SELECT created_at FROM thread_messages WHERE author_user_id = ? AND from_teacher = 0 AND created_at > ?"
        " ORDER BY created_at",
        (user_id, to_db(since)),
    )
    return [from_db(r["created_at"]) for r in rows]


# --- /forget -------------------------------------------------------------------------------------


async def forget_author(db: Database, user_id: int, *, outbox_ref: Callable[[int], str]) -> int:
    """Delete what this account wrote, and its queued-but-unsent relays (the outbox items whose ref is
    `outbox_ref(message id)`); threads left empty go too.

    The other side's messages stay: they are that person's correspondence (see bot/messaging docs).
    """
    ids = [r["id"] for r in await db.fetchall("SELECT id FROM thread_messages WHERE author_user_id = ?", (user_id,))]
    for message_id in ids:
        await db.execute("DELETE FROM outbox WHERE ref = ? AND status = 'pending'", (outbox_ref(message_id),))
    await db.execute("DELETE FROM thread_messages WHERE author_user_id = ?", (user_id,))
    await db.execute("DELETE FROM thread_reads WHERE user_id = ?", (user_id,))
    await db.execute("DELETE FROM thread_mutes WHERE user_id = ?", (user_id,))
    await db.execute("DELETE FROM message_threads WHERE id NOT IN (SELECT DISTINCT thread_id FROM thread_messages)")
    return len(ids)
