"""An aiogram FSM storage in our SQLite database, so an unfinished conversation survives a restart."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey

from storage.db import Database


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
        # column is one of two fixed names, never user input
        await self.db.execute(
            f"INSERT INTO fsm_states (storage_key, user_id, chat_id, {column}, updated_at) VALUES (?, ?, ?, ?, ?)"
            f" ON CONFLICT (storage_key) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at",
            (self._keys.build(key), key.user_id, key.chat_id, value, now),
        )

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._upsert(key, "state", value)

    async def get_state(self, key: StorageKey) -> str | None:
        return await self.db.fetchval("SELECT state FROM fsm_states WHERE storage_key = ?", (self._keys.build(key),))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, "data", json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        raw = await self.db.fetchval("SELECT data FROM fsm_states WHERE storage_key = ?", (self._keys.build(key),))
        return json.loads(raw) if raw else {}

    async def close(self) -> None:
        """The database is closed by the app's shutdown hook."""


async def forget_user_states(db: Database, user_id: int) -> None:
    await db.execute("DELETE FROM fsm_states WHERE user_id = ?", (user_id,))
