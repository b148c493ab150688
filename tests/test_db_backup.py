"""`ediary-bot db backup FILE` while the bot writes, and `ediary-bot db check`."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from storage import audit
from storage import users as users_repo
from storage.db import Database
from tests.conftest import TEST_NOW, make_settings

PAIRS_BEFORE = 2000


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


async def _write_pair(db: Database, n: int) -> None:
    """One transaction, two tables: a consistent copy has as many users as 'linked' events."""
    at = TEST_NOW.astimezone()
    async with db.transaction():
        await users_repo.touch_user(db, 10_000 + n, "ru", at)
        await audit.record(db, audit.LINKED, at=at, user_id=10_000 + n, person_id=f"s{n}")


async def test_a_backup_taken_while_the_bot_writes_is_consistent_and_sound(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = await Database.open(settings.database_path)
    for n in range(PAIRS_BEFORE):
        await _write_pair(db, n)
    written = PAIRS_BEFORE
    stop = asyncio.Event()

    async def keep_writing() -> None:
        nonlocal written
        while not stop.is_set():
            await _write_pair(db, written)
            written += 1

    writer = asyncio.create_task(keep_writing())
    copy = tmp_path / "backups" / "bot-copy.sqlite3"
    try:
        code = await asyncio.to_thread(main, ["db", "backup", str(copy)], settings=settings)
    finally:
        stop.set()
        await writer
        await db.close()

    assert code == 0, capsys.readouterr().err
    assert "integrity ok" in capsys.readouterr().out
    assert copy.stat().st_mode & 0o777 == 0o600  # personal data: the owner's only
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        users = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    finally:
        conn.close()
    assert users == events >= PAIRS_BEFORE  # one snapshot: never half a transaction
    assert users <= written

    assert main(["db", "check"], settings=make_settings(tmp_path, database_path=copy)) == 0
    assert "integrity ok" in capsys.readouterr().out


async def test_check_reports_a_damaged_database(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    db = await Database.open(settings.database_path)
    for n in range(200):
        await _write_pair(db, n)
    await db.close()
    conn = sqlite3.connect(settings.database_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    conn.close()
    data = bytearray(settings.database_path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 64] = b"\xff" * 64  # the table's root page header: no longer a b-tree page
    settings.database_path.write_bytes(bytes(data))

    assert main(["db", "check"], settings=settings) == 1
    captured = capsys.readouterr()
    assert "failed the integrity check" in captured.err


def test_backup_refuses_the_database_itself_and_a_missing_one(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "backup", str(settings.database_path)], settings=settings) == 2
    assert "the database itself" in capsys.readouterr().err
    assert main(["db", "backup", str(settings.database_path.with_name("x.sqlite3"))], settings=settings) == 1
    assert "does not exist" in capsys.readouterr().err
