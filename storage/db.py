"""The bot's SQLite database: WAL, foreign keys, serialized write transactions.

Writes (and every statement of a transaction) go through one aiosqlite connection, on its thread: a write may
wait for another process's lock (busy_timeout). Reads outside a transaction run at once on the event loop's
thread, on a second, read-only connection: in WAL mode a reader never waits for a writer, and a point read
takes microseconds, where a trip to aiosqlite's thread and back takes a hundred. A reader that does meet a
lock (WAL recovery, another process holding the database exclusively) is not kept waiting on the loop: that
read goes through aiosqlite's connection instead. Reads that may return many rows (`bulk=True`) go there too,
so the loop keeps answering while they run; `stream` reads the biggest (every linked account) a chunk at a
time from a snapshot of its own. Inside a transaction every read uses the writing connection, so
it sees what the transaction wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import apply_migrations

Params = Iterable[Any] | dict[str, Any]


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path | str, reader: sqlite3.Connection | None = None) -> None:
        self.conn = conn
        self.path = path
        self.reader = reader  # None (an in-memory database): every read goes through `conn`
        self._write_lock = asyncio.Lock()
        self._in_tx: ContextVar[bool] = ContextVar(f"db_tx_{id(self)}", default=False)

    @classmethod
    async def open(cls, path: Path | str, *, migrate: bool = True) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # A file that cannot be opened fails here, before aiosqlite starts its worker thread: when its
            # own connect fails, that thread outlives the call and later hits a closed event loop.
            await asyncio.to_thread(_try_open, str(path))
        conn = await aiosqlite.connect(str(path), isolation_level=None)  # explicit BEGIN/COMMIT below
        reader = None
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            reader = None if str(path) == ":memory:" else _open_reader(str(path))  # WAL is set: it reads along
            db = cls(conn, path, reader)
            if migrate:
                await apply_migrations(db)
        except BaseException:
            if reader is not None:
                reader.close()
            await conn.close()  # e.g. not a database file: nothing may outlive a failed open
            raise
        return db

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        await self.conn.close()

    async def set_trace_callback(self, callback: Callable[[str], object]) -> None:
        """`callback(sql)` for every statement SQLite runs on this database's connections (benchmarks count
        them); it is called on the thread that runs the statement."""
        if self.reader is not None:
            self.reader.set_trace_callback(callback)
        await self.conn.set_trace_callback(callback)

    @property
    def in_transaction(self) -> bool:
        """Whether the caller runs inside this database's transaction."""
        return self._in_tx.get()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        if self._in_tx.get():  # nested: join the outer transaction
            yield self.conn
            return
        async with self._write_lock:
            token = self._in_tx.set(True)
            try:
                # A statement whose await is cancelled still runs on aiosqlite's thread (its queue keeps
                # order): a cancelled BEGIN must be rolled back here too, or every later BEGIN fails.
                await self.conn.execute("BEGIN IMMEDIATE")
                yield self.conn
                await self.conn.execute("COMMIT")
            except BaseException:
                await self._roll_back()
                raise
            finally:
                self._in_tx.reset(token)

    async def _roll_back(self) -> None:
        # no transaction to roll back: BEGIN failed (locked), or a cancelled COMMIT went through
        with contextlib.suppress(sqlite3.OperationalError):
            await self.conn.execute("ROLLBACK")

    async def execute(self, sql: str, params: Params = ()) -> aiosqlite.Cursor:
        """A single write statement, atomic on its own (or part of an open transaction)."""
        if self._in_tx.get():
            return await self.conn.execute(sql, params)
        async with self._write_lock:
            return await self.conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """One write statement for each of `rows`, in one trip to SQLite's thread (atomic only in a transaction)."""
        if self._in_tx.get():
            await self.conn.executemany(sql, rows)
            return
        async with self._write_lock:
            await self.conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = (), *, bulk: bool = False) -> list[aiosqlite.Row]:
        """The rows of one query. `bulk`: it may return many rows (read on aiosqlite's thread)."""
        if self.reader is not None and not bulk and not self._in_tx.get():
            try:
                return self.reader.execute(sql, params if isinstance(params, dict) else tuple(params)).fetchall()
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:  # a write that returns rows
                    async with self._write_lock:
                        return list(await self.conn.execute_fetchall(sql, params))
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
                # locked (see the module's docstring): wait on aiosqlite's thread, not on the loop
        return list(await self.conn.execute_fetchall(sql, params))

    async def stream(self, sql: str, params: Params = (), *, chunk: int = 500) -> AsyncIterator[list[aiosqlite.Row]]:
        """The rows of a query that may return a hundred thousand, a chunk at a time, from one snapshot: the rows
        never all live at once (each chunk's memory is reused by the next, instead of a peak the process keeps),
        and the loop runs between chunks. A connection of its own, so the shared reader's snapshot is never held
        for the whole read. Inside a transaction, or for an in-memory database, the rows come whole."""
        if self.reader is not None and not self._in_tx.get():
            snapshot = _open_reader(str(self.path))
            try:
                cursor = snapshot.execute(sql, params if isinstance(params, dict) else tuple(params))
            except sqlite3.OperationalError as exc:
                snapshot.close()
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
            else:
                try:
                    while rows := cursor.fetchmany(chunk):
                        yield rows
                        await asyncio.sleep(0)
                finally:
                    snapshot.close()
                return
        yield await self.fetchall(sql, params, bulk=True)  # in a transaction, in memory, or locked: whole

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


def _try_open(path: str) -> None:
    sqlite3.connect(path).close()


def _open_reader(path: str) -> sqlite3.Connection:
    """The read-only connection used on the event loop's thread (never waits for a lock: busy_timeout 0)."""
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.row_factory = sqlite3.Row
        reader.execute("PRAGMA query_only=ON")
        reader.execute("PRAGMA busy_timeout=0")
        reader.execute("PRAGMA foreign_keys=ON")  # as the writing connection (a read of the pragma says so)
    except BaseException:
        reader.close()
        raise
    return reader
