"""What the poller needs of every linked account, in one read: the link, the account's reachability and
language, its alert settings. And the change counters (migration 0012) that say whether any of it changed
since it was last read: the links ('links') or the accounts and their settings ('accounts')."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from storage.db import Database
from storage.links import Link
from storage.preferences import COLUMNS, Preferences, parse_row


@dataclass(frozen=True, slots=True)
class Counters:
    links: int
    accounts: int


@dataclass(frozen=True, slots=True)
class LinkedAccount:
    link: Link
    active: bool  # False: the account blocked the bot (or its users row is gone)
    language: str | None
    telegram_language: str | None
    prefs: Preferences


async def counters(db: Database) -> Counters:
    rows = await db.fetchall("SELECT name, counter FROM change_counters")
    found = {r["name"]: r["counter"] for r in rows}
    return Counters(found.get("links", 0), found.get("accounts", 0))


async def linked_accounts(db: Database) -> list[LinkedAccount]:
    """Every link with its account and settings, by account and person (one query, many rows)."""
    columns = ", ".join(f"p.{c} AS {c}" for c in COLUMNS)
    default = Preferences()
    shared: dict[tuple[object, ...], Preferences] = {}  # most accounts keep the same few settings: one object each
    found = []
    async for rows in db.stream(  # a chunk at a time: a big school's rows never all live at once
        f"SELECT l.user_id, l.person_id, l.role, u.is_active, u.language, u.telegram_language,"
        f" p.user_id AS prefs_user, {columns}"
        " FROM links l LEFT JOIN users u ON u.user_id = l.user_id LEFT JOIN preferences p ON p.user_id = l.user_id"
        " ORDER BY l.user_id, l.person_id"
    ):
        for r in rows:
            prefs = default
            if r["prefs_user"] is not None:
                values = tuple(r[c] for c in COLUMNS)
                prefs = shared.get(values) or shared.setdefault(values, parse_row(r))
            found.append(
                LinkedAccount(  # ids, roles and languages recur (a family's person, 'parent', 'ru'): kept once each
                    Link(r["user_id"], sys.intern(r["person_id"]), sys.intern(r["role"])),
                    bool(r["is_active"]),
                    _interned(r["language"]),
                    _interned(r["telegram_language"]),
                    prefs,
                )
            )
    return found


def _interned(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)
