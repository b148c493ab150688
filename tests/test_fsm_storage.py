"""An unfinished conversation survives a restart: FSM state lives in SQLite."""

from pathlib import Path

from aiogram.fsm.storage.base import StorageKey

from storage.db import Database
from storage.fsm import SQLiteStorage, forget_user_states


async def test_state_and_data_survive_reopening(tmp_path: Path) -> None:
    key = StorageKey(bot_id=42, chat_id=5, user_id=5)
    db = await Database.open(tmp_path / "fsm.sqlite3")
    storage = SQLiteStorage(db)
    await storage.set_state(key, "Link:code")
    await storage.update_data(key, {"person": "p01"})
    await db.close()

    db = await Database.open(tmp_path / "fsm.sqlite3")
    storage = SQLiteStorage(db)
    assert await storage.get_state(key) == "Link:code"
    assert await storage.get_data(key) == {"person": "p01"}
    other = StorageKey(bot_id=42, chat_id=6, user_id=6)
    assert await storage.get_state(other) is None and await storage.get_data(other) == {}

    await storage.set_state(key, None)
    assert await storage.get_state(key) is None
    await forget_user_states(db, 5)
    assert await storage.get_data(key) == {}
    await db.close()
