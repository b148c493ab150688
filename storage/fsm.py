"""An aiogram FSM storage in our SQLite database, so an unfinished conversation survives a restart.

aiogram reads the state of every update, though most updates belong to no conversation. The conversations
under way (rows with a state or data) are therefore also kept in memory, read from the table once: a read costs
no query, and every write goes to both. Only the bot process writes this table (the one process that receives
the updates).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from storage.db import Database


@dataclass(frozen=True, slots=True)
class _Row:
    user_id: int
    state: str | None = None
    data: str = "{}"


_EMPTY = _Row(0)
# per database: storage key -> its row, for the rows that hold a conversation
_conversations: weakref.WeakKeyDictionary[Database, dict[str, _Row]] = weakref.WeakKeyDictionary()


async def _kept(db: Database) -> dict[str, _Row]:
    """The conversations under way. Inside a transaction (which may yet roll back) they are read afresh and the
    memory is refilled after it (see `_changed`)."""
    kept = _conversations.get(db)
    if kept is None:
        rows = await db.fetchall(
            "SELECT storage_key, user_id, state, data FROM fsm_states WHERE state IS NOT NULL OR data != '{}'",
            bulk=True,
        )
        kept = {r["storage_key"]: _Row(r["user_id"], r["state"], r["data"]) for r in rows}
        if not db.in_transaction:
            _conversations[db] = kept
    return kept


def _changed(db: Database) -> None:
    """After a write inside a transaction: what is kept may not be what commits."""
    if db.in_transaction:
        _conversations.pop(db, None)


class SQLiteStorage(BaseStorage):
    """Bound to the database in the startup hook (the DB is opened there, not at import)."""

    def __init__(self, db: Database | None = None) -> None:
        self._db = db
        self._keys = DefaultKeyBuilder(with_destiny=True, with_bot_id=True)

    def attach(self, db: Database) -> None:
        self._db = db

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("SQLiteStorage used before the database was opened")
        return self._db

    async def _upsert(self, key: StorageKey, column: str, value: Any) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        storage_key = self._keys.build(key)
        kept = await _kept(self.db)
        # column is one of two fixed names, never user input
        await self.db.execute(
            f"INSERT INTO fsm_states (storage_key, user_id, chat_id, {column}, updated_at) VALUES (?, ?, ?, ?, ?)"
            f" ON CONFLICT (storage_key) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at",
            (storage_key, key.user_id, key.chat_id, value, now),
        )
        row = replace(kept.get(storage_key, _Row(key.user_id)), **{column: value})
        if row.state is None and row.data == "{}":
            kept.pop(storage_key, None)
        else:
            kept[storage_key] = row
        _changed(self.db)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._upsert(key, "state", value)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await _kept(self.db)).get(self._keys.build(key), _EMPTY).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, "data", json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        raw = (await _kept(self.db)).get(self._keys.build(key), _EMPTY).data
        return json.loads(raw) if raw else {}

    async def close(self) -> None:
        """The database is closed by the app's shutdown hook."""


async def forget_user_states(db: Database, user_id: int) -> None:
    kept = await _kept(db)
    await db.execute("DELETE FROM fsm_states WHERE user_id = ?", (user_id,))
    for storage_key in [k for k, row in kept.items() if row.user_id == user_id]:
        del kept[storage_key]
    _changed(db)
