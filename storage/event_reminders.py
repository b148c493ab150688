"""Which event reminders each account has had (bot/events/reminders.py); /forget removes them with the users
row (ON DELETE CASCADE)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from storage.db import Database
from storage.timeutil import to_db

Sent = tuple[str, date, str]  # (event id, the event's day, 'eve' | 'morning')


async def sent_reminders(db: Database, user_id: int, days: Iterable[date]) -> set[Sent]:
    wanted = sorted({day.isoformat() for day in days})
    if not wanted:
        return set()
    marks = ",".join("?" * len(wanted))
    rows = await db.fetchall(
        f"SELECT event_id, event_day, moment FROM event_reminders_sent WHERE user_id = ? AND event_day IN ({marks})",
        (user_id, *wanted),
    )
    return {(r["event_id"], date.fromisoformat(r["event_day"]), r["moment"]) for r in rows}


async def mark_sent(db: Database, user_id: int, event_id: str, day: date, moment: str, now: datetime) -> bool:
    """False when this reminder had been recorded already."""
    cur = await db.execute(
        "INSERT OR IGNORE INTO event_reminders_sent (user_id, event_id, event_day, moment, sent_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (user_id, event_id, day.isoformat(), moment, to_db(now)),
    )
    return cur.rowcount == 1


async def prune(db: Database, before: date) -> int:
    """Marks of events on days before `before` are no longer needed."""
    cur = await db.execute("DELETE FROM event_reminders_sent WHERE event_day < ?", (before.isoformat(),))
    return cur.rowcount
