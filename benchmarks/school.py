"""The benchmarks' schools and accounts: a generated demo school (made once per size and date, then copied), and
every student and parent of it linked to a Telegram account of their own, written in bulk."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

from bot.ediary.demo.directory import Directory
from bot.ediary.demo.sized import create_school
from bot.ediary.model import Role
from storage.db import Database
from storage.timeutil import to_db

STUDENT_ACCOUNTS = 1_000_000  # Telegram ids of linked students start here, parents' at PARENT_ACCOUNTS
PARENT_ACCOUNTS = 5_000_000


def cache_dir() -> Path:
    """Where generated schools are kept between runs (BENCH_CACHE_DIR, else the user's cache folder)."""
    configured = os.environ.get("BENCH_CACHE_DIR")
    base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base if configured else base / "ediary-bot-benchmarks"


async def school_copy(classes: int, per_class: int, today: date, into: Path) -> Path:
    """A fresh copy of the generated school of this size, filled through `today`, at `into`."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    made = folder / f"demo-{classes}x{per_class}-{today.isoformat()}.sqlite3"
    if not made.exists():
        with tempfile.TemporaryDirectory(dir=folder) as tmp:  # a half-written school is never taken for one
            partial = Path(tmp) / made.name
            await create_school(partial, today, classes, per_class, replace=False)
            partial.replace(made)
    shutil.copyfile(made, into)
    return into


def accounts(directory: Directory) -> list[tuple[int, str, str]]:
    """(Telegram id, person id, role) of every student and parent, each with an account of their own."""
    found = []
    for number, person in enumerate(p for p in directory.people.values() if p.role == Role.STUDENT):
        found.append((STUDENT_ACCOUNTS + number, person.id, Role.STUDENT.value))
    for number, person in enumerate(p for p in directory.people.values() if p.role == Role.PARENT):
        found.append((PARENT_ACCOUNTS + number, person.id, Role.PARENT.value))
    return found


async def link_accounts(db: Database, linked: list[tuple[int, str, str]], now: datetime) -> None:
    """Write the accounts and their links in one transaction (as if each had redeemed a code)."""
    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT OR IGNORE INTO users (user_id, telegram_language, is_active, created_at, last_seen_at)"
            " VALUES (?, 'ru', 1, ?, ?)",
            [(user_id, stamp, stamp) for user_id, _, _ in linked],
        )
        await conn.executemany(
            "INSERT OR IGNORE INTO links (user_id, person_id, role, linked_at) VALUES (?, ?, ?, ?)",
            [(user_id, person_id, role, stamp) for user_id, person_id, role in linked],
        )
