"""Links between Telegram accounts and e-diary people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db


@dataclass(frozen=True, slots=True)
class Link:
    user_id: int
    person_id: str
    role: str  # 'student' | 'parent' | 'teacher'


async def add_link(db: Database, user_id: int, person_id: str, role: str, now: datetime) -> bool:
    """Link; False when this account already was linked to the person."""
    cur = await db.execute(
        "INSERT OR IGNORE INTO links (user_id, person_id, role, linked_at) VALUES (?, ?, ?, ?)",
        (user_id, person_id, role, to_db(now)),
    )
    return cur.rowcount == 1


async def remove_link(db: Database, user_id: int, person_id: str) -> bool:
    cur = await db.execute("DELETE FROM links WHERE user_id = ? AND person_id = ?", (user_id, person_id))
    return cur.rowcount == 1


async def links_of_user(db: Database, user_id: int) -> list[Link]:
    rows = await db.fetchall(
        "SELECT user_id, person_id, role FROM links WHERE user_id = ? ORDER BY linked_at, person_id", (user_id,)
    )
    return [Link(r["user_id"], r["person_id"], r["role"]) for r in rows]


async def users_of_person(db: Database, person_id: str) -> list[int]:
    """Telegram accounts linked to an e-diary person (two parents each have their own)."""
    rows = await db.fetchall("SELECT user_id FROM links WHERE person_id = ? ORDER BY user_id", (person_id,))
    return [r["user_id"] for r in rows]


async def links_of_people(db: Database, person_ids: list[str]) -> list[Link]:
    if not person_ids:
        return []
    marks = ",".join("?" * len(person_ids))
    rows = await db.fetchall(
        f"SELECT user_id, person_id, role FROM links WHERE person_id IN ({marks}) ORDER BY person_id, user_id",
        person_ids,
    )
    return [Link(r["user_id"], r["person_id"], r["role"]) for r in rows]


async def all_links(db: Database) -> list[Link]:
    rows = await db.fetchall("SELECT user_id, person_id, role FROM links ORDER BY user_id, person_id")
    return [Link(r["user_id"], r["person_id"], r["role"]) for r in rows]
