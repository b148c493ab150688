"""Links between Telegram accounts and e-diary people.

Within `memo()` (one update: bot/middlewares.py opens it), an account's links are read once: the access checks
of a single screen ask for them two or three times. A change of links made meanwhile through this module (or
/forget) drops what was kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db


@dataclass(frozen=True, slots=True)
class Link:
    user_id: int
    person_id: str
    role: str  # 'student' | 'parent' | 'teacher'


@dataclass(frozen=True, slots=True)
class _Memo:
    task: asyncio.Task[object] | None  # only the task that opened it reads from it (not tasks it started)
    links: dict[int, tuple[Link, ...]]


_memo: ContextVar[_Memo | None] = ContextVar("links_memo", default=None)


@contextmanager
def memo() -> Iterator[None]:
    """Keep each account's links for the block (one update)."""
    token = _memo.set(_Memo(asyncio.current_task(), {}))
    try:
        yield
    finally:
        _memo.reset(token)


def _current_memo(db: Database) -> _Memo | None:
    """The memo to use: not inside a transaction (what it reads may yet be rolled back)."""
    kept = _memo.get()
    if kept is None or db.in_transaction or kept.task is not asyncio.current_task():
        return None
    return kept


def forget_memo() -> None:
    """Links changed (also by SQL of another module, e.g. /forget): read them again."""
    kept = _memo.get()
    if kept is not None:
        kept.links.clear()


async def add_link(db: Database, user_id: int, person_id: str, role: str, now: datetime) -> bool:
    """Link; False when this account already was linked to the person."""
    forget_memo()
    cur = await db.execute(
        "INSERT OR IGNORE INTO links (user_id, person_id, role, linked_at) VALUES (?, ?, ?, ?)",
        (user_id, person_id, role, to_db(now)),
    )
    return cur.rowcount == 1


async def remove_link(db: Database, user_id: int, person_id: str) -> bool:
    forget_memo()
    cur = await db.execute("DELETE FROM links WHERE user_id = ? AND person_id = ?", (user_id, person_id))
    return cur.rowcount == 1


async def links_of_user(db: Database, user_id: int) -> list[Link]:
    kept = _current_memo(db)
    if kept is not None and user_id in kept.links:
        return list(kept.links[user_id])
    rows = await db.fetchall(
        "SELECT user_id, person_id, role FROM links WHERE user_id = ? ORDER BY linked_at, person_id", (user_id,)
    )
    found = [Link(r["user_id"], r["person_id"], r["role"]) for r in rows]
    if kept is not None:
        kept.links[user_id] = tuple(found)
    return found


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
