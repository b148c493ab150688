"""Read-only counts for the operator: /stats and /healthz. Counts and ids only, never content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, to_db

# outbox kinds that are alerts (everything else the outbox carries is a message between people or a notice)
ALERT_KINDS = ("grades", "timetable", "homework", "digest")


@dataclass(frozen=True, slots=True)
class OutboxDepth:
    waiting: int  # pending or being sent
    blocked: int
    oldest_due_at: datetime | None  # the oldest pending item already due


async def linked_users_by_role(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT role, COUNT(DISTINCT user_id) FROM links GROUP BY role")
    return {row[0]: row[1] for row in rows}


async def linked_people(db: Database, role: str) -> set[str]:
    rows = await db.fetchall("SELECT DISTINCT person_id FROM links WHERE role = ?", (role,))
    return {row[0] for row in rows}


async def outbox_depth(db: Database, now: datetime) -> OutboxDepth:
    row = await db.fetchone(
        "SELECT SUM(status IN ('pending', 'sending')), SUM(status = 'blocked'),"
        " MIN(CASE WHEN status = 'pending' AND next_attempt_at <= :now AND not_before <= :now"
        " THEN MAX(next_attempt_at, not_before) END)"
        " FROM outbox WHERE status IN ('pending', 'sending', 'blocked')",
        {"now": to_db(now)},
    )
    if row is None:
        return OutboxDepth(0, 0, None)
    return OutboxDepth(row[0] or 0, row[1] or 0, from_db(row[2]))


async def sent_since(db: Database, since: datetime, kinds: tuple[str, ...] = ALERT_KINDS) -> int:
    marks = ", ".join("?" for _ in kinds)
    return int(
        await db.fetchval(
            f"SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at >= ? AND kind IN ({marks})",
            (to_db(since), *kinds),
        )
        or 0
    )


async def awaiting_teachers(db: Database) -> tuple[int, int]:
    """(family messages waiting for a teacher who has not linked yet, how many teachers they wait for)."""
    row = await db.fetchone(
        "SELECT COUNT(*), COUNT(DISTINCT t.teacher_id) FROM thread_messages m"
        " JOIN message_threads t ON t.id = m.thread_id WHERE m.awaiting_recipient = 1 AND m.from_teacher = 0"
    )
    return (row[0], row[1]) if row is not None else (0, 0)


async def probe_write(db: Database, now: datetime) -> None:
    """A real write (disk full, a read-only volume or a stuck lock fail here), committed at once."""
    await db.execute(
        "INSERT INTO health_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = ?",
        (to_db(now), to_db(now)),
    )
