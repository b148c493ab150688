"""Database.stream: a big read a chunk at a time from one snapshot of its own; the reads and writes of everyone
else go on between chunks and see the database as it is, not as it was when the stream began."""

from __future__ import annotations

from pathlib import Path

from storage.db import Database


async def numbers(tmp_path: Path, count: int) -> Database:
    db = await Database.open(tmp_path / "bot.sqlite3", migrate=False)
    await db.execute("CREATE TABLE t (n INTEGER)")
    await db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(count)])
    return db


async def test_rows_come_in_chunks_from_the_snapshot_the_stream_began_with(tmp_path: Path) -> None:
    db = await numbers(tmp_path, 1200)
    try:
        chunks = []
        async for rows in db.stream("SELECT n FROM t ORDER BY n", chunk=500):
            chunks.append([r["n"] for r in rows])
            if len(chunks) == 1:  # someone writes while the stream is read
                await db.execute("INSERT INTO t VALUES (5000)")
                assert await db.fetchval("SELECT max(n) FROM t") == 5000  # others see it at once
        assert [len(c) for c in chunks] == [500, 500, 200]
        assert [n for c in chunks for n in c] == list(range(1200))  # the stream does not
    finally:
        await db.close()


async def test_inside_a_transaction_the_stream_sees_what_the_transaction_wrote(tmp_path: Path) -> None:
    db = await numbers(tmp_path, 3)
    try:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES (3)")
            seen = [r["n"] async for rows in db.stream("SELECT n FROM t ORDER BY n", chunk=2) for r in rows]
        assert seen == [0, 1, 2, 3]
    finally:
        await db.close()
