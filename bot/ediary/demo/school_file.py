"""The demo school's SQLite file as the provider holds it open: the connection, the directory read from it and
the date its generated records reach, kept on the file that is at the path NOW.

An admin may delete the file and restore it from a copy, or swap it together with its WAL side files, while
the bot runs. An open connection would go on reading the old file (blind to every later change) or fail on
its next write until a restart; so each read first compares the files at the path (device and inode of the
database and its -wal and -shm) with those opened, and reopens when they differ. A missing file is an outage
(FileNotFoundError), not a reason to build a new school in its place while it is being restored."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import aiosqlite

from bot.ediary.demo.directory import Directory
from bot.ediary.demo.schema import connect
from bot.ediary.demo.seed import bring_up_to_date, open_school, read_meta

log = logging.getLogger(__name__)

SIDE_FILES = ("-wal", "-shm")
MEMORY = ":memory:"


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Which files are at a database's path: (device, inode) of it and of its side files, None where absent."""

    files: tuple[tuple[int, int] | None, ...]

    @classmethod
    def at(cls, path: Path) -> FileIdentity:
        found: list[tuple[int, int] | None] = []
        for suffix in ("", *SIDE_FILES):
            try:
                stat = os.stat(f"{path}{suffix}")
            except FileNotFoundError:
                found.append(None)
            else:
                found.append((stat.st_dev, stat.st_ino))
        return cls(tuple(found))

    @property
    def missing(self) -> bool:
        return self.files[0] is None


class SchoolFile:
    def __init__(self, path: Path | None, conn: aiosqlite.Connection, directory: Directory, filled: date) -> None:
        self.path = path  # None: an in-memory school, nothing on disk to follow
        self.conn = conn
        # the records a poll reads are read on the event loop's thread, as the bot's own (storage/db.py): no
        # trip to aiosqlite's thread and back for each of a big school's hundreds of reads
        self.reader = _open_reader(path) if path is not None else None
        self.directory = directory  # people and the weekly template never change after seeding
        self.filled_through = filled
        self.identity = FileIdentity.at(path) if path is not None else None
        self._lock = asyncio.Lock()  # one reopen or top-up at a time

    async def read(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """The rows of one query: at once on the reader; on aiosqlite's connection when the reader meets a lock
        (it never waits for one on the event loop)."""
        if self.reader is not None:
            try:
                return self.reader.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
        return [tuple(row) for row in await self.conn.execute_fetchall(sql, params)]

    @classmethod
    async def open(cls, path: Path | str, today: date) -> SchoolFile:
        """Opens (creating and filling on first use) the school; raises sqlite3.Error or OSError."""
        conn, directory, filled = await _open(path, today)
        return cls(None if str(path) == MEMORY else Path(path), conn, directory, filled)

    async def current(self, today: date) -> None:
        """Before a read: reopen a file replaced on disk, and generate the days since the last top-up (a
        long-running bot crosses midnight). Raises FileNotFoundError while the file is missing."""
        if self._replaced() or today > self.filled_through:
            async with self._lock:  # another task may have done it while we waited: look again
                if self._replaced():
                    await self._reopen(today)
                if today > self.filled_through:
                    await bring_up_to_date(self.conn, today)
                    self.filled_through = today

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        await self.conn.close()

    def _replaced(self) -> bool:
        return self.path is not None and FileIdentity.at(self.path) != self.identity

    async def _reopen(self, today: date) -> None:
        assert self.path is not None  # _replaced() said so
        if FileIdentity.at(self.path).missing:
            raise FileNotFoundError(f"{self.path} is missing")
        conn, directory, filled = await _open(self.path, today)
        old, old_reader = self.conn, self.reader
        self.conn, self.directory, self.filled_through = conn, directory, filled
        self.reader = _open_reader(self.path)
        self.identity = FileIdentity.at(self.path)
        # the old file is gone from the path, so closing checkpoints nothing into the new one (SQLite checks)
        if old_reader is not None:
            old_reader.close()
        await old.close()
        log.warning("demo e-diary: the file on disk was replaced (restored or swapped); reopened it")


def _open_reader(path: Path) -> sqlite3.Connection:
    reader = sqlite3.connect(path, isolation_level=None)
    try:
        reader.execute("PRAGMA query_only=ON")
        reader.execute("PRAGMA busy_timeout=0")
    except BaseException:
        reader.close()
        raise
    return reader


async def _open(path: Path | str, today: date) -> tuple[aiosqlite.Connection, Directory, date]:
    conn = await connect(path)
    try:
        directory = await open_school(conn, today)
        filled = date.fromisoformat((await read_meta(conn))["filled_through"])
    except BaseException:
        await conn.close()
        raise
    return conn, directory, filled
