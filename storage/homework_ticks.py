"""Homework a student ticked as done in the bot: by student and homework id, with the account that ticked it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from storage.db import Database
from storage.timeutil import to_db


async def tick(db: Database, student_id: str, homework_id: str, user_id: int, due: date, now: datetime) -> None:
    await db.execute(
        "INSERT INTO homework_ticks (student_id, homework_id, user_id, due, ticked_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (student_id, homework_id) DO UPDATE SET user_id = excluded.user_id, due = excluded.due,"
        " ticked_at = excluded.ticked_at",
        (student_id, homework_id, user_id, due.isoformat(), to_db(now)),
    )


async def untick(db: Database, student_id: str, homework_id: str) -> None:
    await db.execute("DELETE FROM homework_ticks WHERE student_id = ? AND homework_id = ?", (student_id, homework_id))


async def ticked(db: Database, student_ids: Collection[str]) -> set[tuple[str, str]]:
    """(student id, homework id) of every tick these students have."""
    if not student_ids:
        return set()
    marks = ",".join("?" * len(student_ids))
    rows = await db.fetchall(
        f"SELECT student_id, homework_id FROM homework_ticks WHERE student_id IN ({marks})", tuple(student_ids)
    )
    return {(r["student_id"], r["homework_id"]) for r in rows}


async def prune(db: Database, before: date) -> int:
    """Ticks of homework due before `before` are shown nowhere any more."""
    cur = await db.execute("DELETE FROM homework_ticks WHERE due < ?", (before.isoformat(),))
    return cur.rowcount


async def forget_user(db: Database, user_id: int) -> None:
    """/forget: the ticks this account made."""
    await db.execute("DELETE FROM homework_ticks WHERE user_id = ?", (user_id,))
