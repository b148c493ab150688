"""A write transaction is all or nothing, also when the task that runs it is cancelled at any await (a job
interrupted at shutdown left a BEGIN behind: every later write failed, the lease was never released)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage.db import Database


async def open_db(tmp_path: Path) -> Database:
    db = await Database.open(tmp_path / "bot.sqlite3", migrate=False)
    await db.execute("CREATE TABLE t (n INTEGER)")
    return db


async def count(db: Database) -> int:
    return int(await db.fetchval("SELECT count(*) FROM t"))


@pytest.mark.parametrize("turns", [0, 1, 2, 3, 5, 8])
async def test_a_transaction_cancelled_at_any_point_leaves_the_database_usable(tmp_path: Path, turns: int) -> None:
    db = await open_db(tmp_path)
    try:
        entered = asyncio.Event()

        async def write() -> None:
            async with db.transaction():
                entered.set()
                await db.execute("INSERT INTO t VALUES (1)")
                await db.execute("INSERT INTO t VALUES (2)")

        task = asyncio.create_task(write())
        for _ in range(turns):  # cancelled while BEGIN, an INSERT or COMMIT is on SQLite's thread
            await asyncio.sleep(0)
        task.cancel()
        try:
            await task
            finished = True
        except asyncio.CancelledError:
            finished = False
        assert await count(db) in ((2,) if finished else (0, 2))  # all or nothing

        before = await count(db)
        async with db.transaction():  # the next writer is not refused ("cannot start a transaction within...")
            await db.execute("INSERT INTO t VALUES (3)")
        assert await count(db) == before + 1
        assert not db.conn.in_transaction
    finally:
        await db.close()


async def test_a_failed_statement_rolls_the_whole_transaction_back(tmp_path: Path) -> None:
    db = await open_db(tmp_path)
    try:
        with pytest.raises(Exception, match="no such table"):
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1)")
                await db.execute("INSERT INTO missing VALUES (1)")
        assert await count(db) == 0
        assert not db.conn.in_transaction
    finally:
        await db.close()
