"""The demo e-diary's own SQLite file: schema and connection settings shared by the bot and the CLI."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS classes (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, homeroom_id TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS subjects (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY, full_name TEXT NOT NULL, role TEXT NOT NULL,
    class_id TEXT,  -- students
    room TEXT,      -- teachers: their own classroom
    sex TEXT        -- 'male' / 'female' (bot.ediary.model.Sex); added later: older files get it on open (seed.py)
);
CREATE TABLE IF NOT EXISTS parent_child (
    parent_id TEXT NOT NULL, student_id TEXT NOT NULL, PRIMARY KEY (parent_id, student_id));
CREATE TABLE IF NOT EXISTS teaching (
    class_id TEXT NOT NULL, subject_id TEXT NOT NULL, teacher_id TEXT NOT NULL, PRIMARY KEY (class_id, subject_id));
CREATE TABLE IF NOT EXISTS timetable (
    class_id TEXT NOT NULL, weekday INTEGER NOT NULL, number INTEGER NOT NULL,
    subject_id TEXT NOT NULL, teacher_id TEXT NOT NULL, room TEXT,
    PRIMARY KEY (class_id, weekday, number));
CREATE TABLE IF NOT EXISTS work_types (name TEXT PRIMARY KEY, weight REAL NOT NULL);

-- Changes to the weekly template on one date; NULL columns keep the template's value.
CREATE TABLE IF NOT EXISTS overrides (
    class_id TEXT NOT NULL, date TEXT NOT NULL, number INTEGER NOT NULL,
    subject_id TEXT,                -- added lessons
    teacher_id TEXT, room TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,
    reason TEXT, source TEXT NOT NULL DEFAULT 'seed',
    PRIMARY KEY (class_id, date, number));
CREATE INDEX IF NOT EXISTS overrides_date ON overrides (date);

CREATE TABLE IF NOT EXISTS grades (
    id TEXT PRIMARY KEY, student_id TEXT NOT NULL, class_id TEXT NOT NULL, subject_id TEXT NOT NULL,
    value TEXT NOT NULL, weight REAL NOT NULL, work_type TEXT, date TEXT NOT NULL, comment TEXT,
    teacher_id TEXT, lesson_id TEXT, source TEXT NOT NULL DEFAULT 'seed');
CREATE INDEX IF NOT EXISTS grades_class_date ON grades (class_id, date);
CREATE INDEX IF NOT EXISTS grades_student_date ON grades (student_id, date);

CREATE TABLE IF NOT EXISTS homework (
    id TEXT PRIMARY KEY, class_id TEXT NOT NULL, subject_id TEXT NOT NULL, text TEXT NOT NULL,
    due TEXT NOT NULL, assigned TEXT, source TEXT NOT NULL DEFAULT 'seed');
CREATE INDEX IF NOT EXISTS homework_class_due ON homework (class_id, due);

CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id TEXT NOT NULL, recipient_id TEXT NOT NULL,
    student_id TEXT, text TEXT NOT NULL, sent_at TEXT NOT NULL);
"""


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Autocommit connection: every read sees what other processes (the CLI) committed."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if Path(path).is_dir():  # caught here: aiosqlite's own failure path leaves a thread behind
            raise IsADirectoryError(f"{path} is a directory")
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        await conn.execute("PRAGMA busy_timeout=10000")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        await conn.close()
        raise
    return conn
