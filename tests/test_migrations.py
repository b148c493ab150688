"""Migrations: an empty database gets the whole schema; an existing one only what it lacks."""

import sqlite3
from pathlib import Path

from bot.cli import main
from storage.db import Database
from storage.migrations import apply_migrations, load_migrations, schema_version


async def test_empty_database_gets_every_migration(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new.sqlite3")
    try:
        latest = max(m.version for m in load_migrations())
        assert await schema_version(db) == latest
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"users", "links", "fsm_states", "audit_log", "outbox", "preferences"} <= tables
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    finally:
        await db.close()


async def test_existing_database_keeps_its_data_and_gets_only_new_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:  # a database from the first release: only migration 1
        first = load_migrations()[0]
        conn.executescript(first.sql)
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
        )
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (first.version, first.name))
        conn.execute("INSERT INTO users (user_id, created_at, last_seen_at) VALUES (7, 'x', 'x')")
    db = await Database.open(path)
    try:
        assert await db.fetchval("SELECT user_id FROM users") == 7
        versions = [r[0] for r in await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == [m.version for m in load_migrations()]
        assert await apply_migrations(db) == []  # idempotent
    finally:
        await db.close()


async def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);", encoding="utf-8")
    (migrations / "0002_broken.sql").write_text(
        "CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);", encoding="utf-8"
    )
    db = await Database.open(tmp_path / "x.sqlite3", migrate=False)
    try:
        try:
            await apply_migrations(db, migrations)
        except sqlite3.OperationalError:
            pass
        else:
            raise AssertionError("the broken migration should fail")
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "a" in tables and "b" not in tables
        assert await schema_version(db) == 1
    finally:
        await db.close()


def test_db_migrate_command(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    assert main(["db", "migrate"]) == 0
    assert "applied migration(s)" in capsys.readouterr().out
    assert main(["db", "migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
