"""The bot's SQLite database: one aiosqlite connection, WAL, foreign keys, serialized write transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import apply_migrations


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path | str) -> None:
        self.conn = conn
        self.path = path
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
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            db = cls(conn, path)
            if migrate:
                await apply_migrations(db)
        except BaseException:
            await conn.close()  # e.g. not a database file: nothing may outlive a failed open
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        if self._in_tx.get():  # nested: join the outer transaction
            yield self.conn
            return
        async with self._write_lock:
            token = self._in_tx.set(True)
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
            finally:
                self._in_tx.reset(token)

    async def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> aiosqlite.Cursor:
        """A single write statement, atomic on its own (or part of an open transaction)."""
        if self._in_tx.get():
            return await self.conn.execute(sql, params)
        async with self._write_lock:
            return await self.conn.execute(sql, params)

    async def fetchone(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchval(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


def _try_open(path: str) -> None:
    sqlite3.connect(path).close()
