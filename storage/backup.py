"""Online backup and integrity check of the bot's SQLite database (`ediary-bot db backup|check`).

The backup is SQLite's own backup API in one step: it copies one consistent snapshot while the running bot
keeps writing (WAL: the bot's writes neither wait for it nor appear half in it). The copy is written beside
its destination, checked, made readable by its owner only (it holds personal data), then renamed into place."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    """One line for the admin."""


def _existing(path: Path) -> sqlite3.Connection:
    """Read-write on purpose: a WAL database opened read-only cannot always see the bot's latest writes."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    return sqlite3.connect(path)


def integrity_problems(path: Path) -> list[str]:
    """SQLite's integrity_check of the database at `path`: empty when it is sound."""
    try:
        conn = _existing(path)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:  # not a database at all, or unreadable
        return [str(exc)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def backup(source: Path, destination: Path) -> int:
    """Copy `source` to `destination` (replaced if present); returns the copy's size in bytes."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        src = _existing(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # all pages in one step: one consistent snapshot
                dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        os.chmod(partial, 0o600)
        if problems := integrity_problems(partial):
            raise BackupError(f"the copy failed its integrity check: {'; '.join(problems[:3])}")
        partial.replace(destination)
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {source} failed: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return destination.stat().st_size
