"""Creates the demo school on first use and tops up generated records when the calendar moves on.

meta keys: `school` (name), `filled_through` (last date with generated grades, = today when seeded),
`planned_through` (last date with generated timetable changes and homework, today + PLAN_AHEAD_DAYS),
`next_manual_id` (counter for ids of records added by the CLI).
A file made before people had a `sex` column gets it on open, filled from each person's patronymic.
Both processes (bot and CLI) may do this at once: BEGIN IMMEDIATE plus a re-check makes one of them win.
"""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite

from bot.ediary.demo.directory import (
    Directory,
    build_directory,
    directory_rows,
    load_directory,
    sex_from_patronymic,
)
from bot.ediary.demo.generate_grades import generate_grades
from bot.ediary.demo.generate_plans import generate_plans
from bot.ediary.demo.lessons import OVERRIDE_COLUMNS, Override, index_overrides
from bot.ediary.demo.schema import SCHEMA
from bot.ediary.demo.school_calendar import year_start

PLAN_AHEAD_DAYS = 14
TABLE_COLUMNS = {
    "classes": "id, name, homeroom_id, position",
    "subjects": "id, name, position",
    "people": "id, full_name, role, class_id, room, sex",
    "parent_child": "parent_id, student_id",
    "teaching": "class_id, subject_id, teacher_id",
    "timetable": "class_id, weekday, number, subject_id, teacher_id, room",
    "work_types": "name, weight",
}
GRADE_COLUMNS = "id, student_id, class_id, subject_id, value, weight, work_type, date, comment, teacher_id, lesson_id"


async def read_meta(conn: aiosqlite.Connection) -> dict[str, str]:
    async with conn.execute("SELECT key, value FROM meta") as cur:
        return {k: v for k, v in await cur.fetchall()}


def _needs_work(meta: dict[str, str], today: date) -> bool:
    if "filled_through" not in meta:
        return True
    return date.fromisoformat(meta["filled_through"]) < today or date.fromisoformat(
        meta["planned_through"]
    ) < today + timedelta(days=PLAN_AHEAD_DAYS)


async def open_school(conn: aiosqlite.Connection, today: date, new: Directory | None = None) -> Directory:
    """Makes sure the school exists and is filled through `today`; returns its directory. `new`: the school to
    create in an empty file (default: the one of school.py)."""
    await conn.executescript(SCHEMA)
    await add_sex_column(conn)
    await bring_up_to_date(conn, today, new)
    return await load_directory(conn)


async def _has_sex_column(conn: aiosqlite.Connection) -> bool:
    async with conn.execute("PRAGMA table_info(people)") as cur:
        return any(row[1] == "sex" for row in await cur.fetchall())


async def add_sex_column(conn: aiosqlite.Connection) -> None:
    """Bring a demo file from before the `sex` column up to date (once; another process may be doing it too)."""
    if await _has_sex_column(conn):
        return
    await conn.execute("BEGIN IMMEDIATE")
    try:
        if not await _has_sex_column(conn):
            await conn.execute("ALTER TABLE people ADD COLUMN sex TEXT")
            async with conn.execute("SELECT id, full_name FROM people") as cur:
                people = list(await cur.fetchall())
            await conn.executemany(
                "UPDATE people SET sex = ? WHERE id = ?",
                [(sex.value, pid) for pid, name in people if (sex := sex_from_patronymic(name)) is not None],
            )
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")


async def bring_up_to_date(conn: aiosqlite.Connection, today: date, new: Directory | None = None) -> None:
    if not _needs_work(await read_meta(conn), today):
        return  # the common case takes no write lock
    await conn.execute("BEGIN IMMEDIATE")
    try:
        meta = await read_meta(conn)
        if "filled_through" not in meta:
            await _seed(conn, today, new or build_directory())
        elif _needs_work(meta, today):
            await _top_up(conn, await load_directory(conn), meta, today)
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")


async def _seed(conn: aiosqlite.Connection, today: date, d: Directory) -> None:
    for table, rows in directory_rows(d).items():
        marks = ", ".join("?" * len(TABLE_COLUMNS[table].split(",")))
        await conn.executemany(f"INSERT INTO {table} ({TABLE_COLUMNS[table]}) VALUES ({marks})", rows)
    await conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)", [("school", d.school), ("next_manual_id", "1")]
    )
    start = year_start(today)
    await _fill(conn, d, start, start, today)


async def _top_up(conn: aiosqlite.Connection, d: Directory, meta: dict[str, str], today: date) -> None:
    grades_from = date.fromisoformat(meta["filled_through"]) + timedelta(days=1)
    plans_from = date.fromisoformat(meta["planned_through"]) + timedelta(days=1)
    await _fill(conn, d, plans_from, grades_from, today)


async def _fill(conn: aiosqlite.Connection, d: Directory, plans_from: date, grades_from: date, today: date) -> None:
    plans_through = today + timedelta(days=PLAN_AHEAD_DAYS)
    if plans_from <= plans_through:
        overrides, homework = generate_plans(d, plans_from, plans_through)
        # OR IGNORE: a change made through the CLI for a future date wins over the generated one
        await conn.executemany(
            f"INSERT OR IGNORE INTO overrides ({OVERRIDE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
            [o.row() for o in overrides],
        )
        await conn.executemany(
            "INSERT OR IGNORE INTO homework (id, class_id, subject_id, text, due, assigned) VALUES (?,?,?,?,?,?)",
            homework,
        )
        await _set_meta(conn, "planned_through", plans_through.isoformat())
    if grades_from <= today:
        async with conn.execute(
            f"SELECT {OVERRIDE_COLUMNS} FROM overrides WHERE date BETWEEN ? AND ?",
            (grades_from.isoformat(), today.isoformat()),
        ) as cur:
            held = index_overrides([Override.from_row(tuple(r)) for r in await cur.fetchall()])
        rows = generate_grades(d, grades_from, today, held)
        await conn.executemany(f"INSERT OR IGNORE INTO grades ({GRADE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    await _set_meta(conn, "filled_through", max(today, grades_from - timedelta(days=1)).isoformat())


async def _set_meta(conn: aiosqlite.Connection, key: str, value: str) -> None:
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
