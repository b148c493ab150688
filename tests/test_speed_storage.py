"""Storage that answers an update without needless work: reads on the event loop's thread (and what happens when
the database is locked), the user written only when something changed, an account's links read once per update,
conversations kept in memory, and the change counters the poller compares (issue 15)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from aiogram.fsm.storage.base import StorageKey

from bot.clock import SystemClock
from storage import followers, links, preferences, users
from storage.db import Database
from storage.fsm import SQLiteStorage
from storage.migrations import apply_migrations

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, sql: str) -> None:
        if not self.seen or self.seen[-1] != sql or sql.startswith("SELECT"):
            self.seen.append(sql)  # (a write's trigger reports the write again)

    def writes(self) -> list[str]:
        return [s for s in self.seen if not s.lstrip().upper().startswith(("SELECT", "PRAGMA"))]


async def traced(path: Path) -> tuple[Database, Statements]:
    db = await Database.open(path)
    statements = Statements()
    await db.set_trace_callback(statements)
    return db, statements


class LockedReader:
    """The event loop's connection meeting a lock (WAL recovery, another process holding the file exclusively:
    rare, and not something a test can bring about with the writer's connection open)."""

    def __init__(self) -> None:
        self.tried = 0

    def execute(self, sql: str, params: object = ()) -> sqlite3.Cursor:
        self.tried += 1
        locked = sqlite3.OperationalError("database is locked")
        locked.sqlite_errorcode = sqlite3.SQLITE_BUSY
        raise locked

    def close(self) -> None:
        pass


async def test_a_read_that_meets_a_lock_waits_for_it_on_sqlites_thread(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    real_reader = db.reader
    try:
        await users.touch_user(db, 1, "ru", NOW)
        locked = LockedReader()
        db.reader = locked  # type: ignore[assignment]  # a stand-in raising what SQLite raises
        assert await db.fetchval("SELECT COUNT(*) FROM users") == 1
        assert locked.tried == 1
    finally:
        db.reader = real_reader
        await db.close()


async def test_reads_in_a_transaction_see_its_writes_and_others_see_only_what_was_committed(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        inside_saw: list[int] = []
        outside_saw: list[int] = []
        written = asyncio.Event()
        looked = asyncio.Event()

        async def write() -> None:
            async with db.transaction():
                await db.execute("INSERT INTO users (user_id, created_at, last_seen_at) VALUES (5, 'x', 'x')")
                inside_saw.append(await db.fetchval("SELECT COUNT(*) FROM users"))
                written.set()
                await looked.wait()

        async def look() -> None:
            await written.wait()
            outside_saw.append(await db.fetchval("SELECT COUNT(*) FROM users"))
            looked.set()

        await asyncio.gather(write(), look())
        assert inside_saw == [1] and outside_saw == [0]
        assert await db.fetchval("SELECT COUNT(*) FROM users") == 1
        assert await db.fetchval("UPDATE users SET language = 'en' RETURNING language") == "en"  # a write via fetch
    finally:
        await db.close()


async def test_the_user_is_written_only_when_something_changed_or_every_ten_minutes(tmp_path: Path) -> None:
    db, statements = await traced(tmp_path / "bot.sqlite3")
    try:
        await users.touch_user(db, 7, "ru", NOW)
        statements.seen.clear()
        for minutes in (1, 5, 9):
            record = await users.touch_user(db, 7, "ru", NOW + timedelta(minutes=minutes))
            assert record.telegram_language == "ru" and record.is_active
        assert statements.writes() == []
        await users.touch_user(db, 7, "ru", NOW + timedelta(minutes=11))
        assert any("INSERT INTO users" in s for s in statements.writes())
        assert await db.fetchval("SELECT last_seen_at FROM users WHERE user_id = 7") == "2026-11-25T07:11:00+00:00"

        statements.seen.clear()
        assert (await users.touch_user(db, 7, "en", NOW + timedelta(minutes=12))).telegram_language == "en"
        await users.set_active(db, 7, False)
        assert (await users.touch_user(db, 7, "en", NOW + timedelta(minutes=13))).is_active  # reachable again
        assert len([s for s in statements.writes() if "INSERT INTO users" in s]) == 2
    finally:
        await db.close()


async def test_the_user_is_written_once_on_the_real_clock(tmp_path: Path) -> None:
    clock = SystemClock("Europe/Moscow")
    db, statements = await traced(tmp_path / "bot.sqlite3")
    try:
        await users.touch_user(db, 8, None, clock.now())
        await users.touch_user(db, 8, None, clock.now())
        assert len([s for s in statements.writes() if "INSERT INTO users" in s]) == 1
    finally:
        await db.close()


async def test_an_accounts_links_are_read_once_per_update_and_again_after_a_change(tmp_path: Path) -> None:
    db, statements = await traced(tmp_path / "bot.sqlite3")
    try:
        await users.touch_user(db, 9, "ru", NOW)
        await links.add_link(db, 9, "p01", "parent", NOW)

        def reads() -> int:
            return len([s for s in statements.seen if s.startswith("SELECT user_id, person_id, role FROM links")])

        with links.memo():
            first = await links.links_of_user(db, 9)
            again = await links.links_of_user(db, 9)
            assert first == again and reads() == 1
            other = asyncio.create_task(links.links_of_user(db, 9))  # another task reads for itself
            await other
            assert reads() == 2
            await links.add_link(db, 9, "s01", "student", NOW)
            assert [link.person_id for link in await links.links_of_user(db, 9)] == ["p01", "s01"]
            async with db.transaction():  # inside a transaction nothing is kept (it may roll back)
                await links.links_of_user(db, 9)
                await links.links_of_user(db, 9)
        assert reads() == 5
        await links.links_of_user(db, 9)  # no memo outside an update
        assert reads() == 6
    finally:
        await db.close()


async def test_conversations_are_read_from_memory_and_a_rolled_back_change_is_not_kept(tmp_path: Path) -> None:
    db, statements = await traced(tmp_path / "bot.sqlite3")
    storage = SQLiteStorage(db)
    key = StorageKey(bot_id=42, chat_id=5, user_id=5)
    try:
        await storage.set_state(key, "Link:code")
        statements.seen.clear()
        assert await storage.get_state(key) == "Link:code"
        assert await storage.get_state(StorageKey(bot_id=42, chat_id=6, user_id=6)) is None
        assert statements.seen == []

        class Failed(Exception):
            pass

        try:
            async with db.transaction():
                await storage.set_state(key, "Link:other")
                raise Failed
        except Failed:
            pass
        assert await storage.get_state(key) == "Link:code"
        await storage.set_state(key, None)
        assert await storage.get_state(key) is None
        assert await db.fetchval("SELECT state FROM fsm_states WHERE user_id = 5") is None
    finally:
        await db.close()


async def test_the_change_counters_move_with_links_reachability_language_and_settings_only(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        start = await followers.counters(db)
        await users.touch_user(db, 11, "ru", NOW)
        await links.add_link(db, 11, "p01", "parent", NOW)
        linked = await followers.counters(db)
        assert linked.links == start.links + 1 and linked.accounts == start.accounts
        await users.touch_user(db, 11, "ru", NOW + timedelta(hours=1))  # only last_seen_at: nothing moves
        assert await followers.counters(db) == linked
        await users.set_active(db, 11, False)
        await users.set_language(db, 11, "en")
        await preferences.update_preferences(db, 11, reminder_time=time(17, 0))
        changed = await followers.counters(db)
        assert changed.links == linked.links and changed.accounts == linked.accounts + 3
        await links.remove_link(db, 11, "p01")
        assert (await followers.counters(db)).links == linked.links + 1

        [account] = await followers.linked_accounts(db) or [None]  # nothing linked any more
        assert account is None
        await links.add_link(db, 11, "p01", "parent", NOW)
        [account] = await followers.linked_accounts(db)
        assert (account.link.person_id, account.active, account.language) == ("p01", False, "en")
        assert account.prefs.reminder_time == time(17, 0)
        assert await preferences.earliest_reminder_time(db) == time(17, 0)
    finally:
        await db.close()


async def test_migration_12_indexes_the_lookups_the_jobs_make(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:

        async def plan(sql: str, *params: object) -> str:
            return " ".join(r[3] for r in await db.fetchall(f"EXPLAIN QUERY PLAN {sql}", params))

        homework = await plan(
            "SELECT class_name, payload FROM alert_seen WHERE kind = 'homework' AND missing_count = 0"
            " AND json_extract(payload, '$.due') = ?",
            "2026-11-26",
        )
        assert "alert_seen_homework_due" in homework
        assert "preferences_reminder_time" in await plan("SELECT MIN(reminder_time) FROM preferences")
        assert "alert_reminders_due" in await plan("SELECT user_id FROM alert_reminders_sent WHERE due = ?", "x")
        assert await apply_migrations(db) == []
    finally:
        await db.close()
