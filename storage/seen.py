"""What the alert poller has seen of each class (records with fingerprints), and whose first sync is done.

The `class_name` column holds the poll's scope: the class, or "<class>/<student id>" where the e-diary is read
per student (bot/alerts/subscribers.py). Only subscribed students' grades are kept: a scope or student nobody
follows any more is forgotten, and following it again starts with a new silent baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.db import Database
from storage.timeutil import to_db

CLASS_SCOPE = ""  # the baseline row of a class itself (its timetable and homework)
RECORDS = ""  # baselines of grades, the timetable and homework
ATTENDANCE = "attendance"  # baselines of absences and lateness (a first sync of their own)


@dataclass(frozen=True, slots=True)
class SeenRecord:
    key: str
    fingerprint: str
    # the record as last seen: its JSON text as stored (parsed only when asked for: a poll compares fingerprints),
    # the parsed form, or None: not read (load(payloads=False))
    content: dict[str, Any] | str | None
    student_id: str | None = None
    revision: int = 0
    missing_count: int = 0

    @property
    def payload(self) -> dict[str, Any]:
        if self.content is None:
            raise LookupError(f"the payload of {self.key!r} was not read")
        return json.loads(self.content) if isinstance(self.content, str) else self.content

    def stored(self) -> str:
        if isinstance(self.content, dict):
            return json.dumps(self.content, ensure_ascii=False)
        if self.content is None:
            raise LookupError(f"the payload of {self.key!r} was not read")
        return self.content


def _record(row) -> SeenRecord:
    return SeenRecord(
        row["record_key"],
        row["fingerprint"],
        row["payload"],
        row["student_id"],
        row["revision"],
        row["missing_count"],
    )


async def load(db: Database, class_name: str, kind: str, *, payloads: bool = True) -> list[SeenRecord]:
    """What was seen of `kind` in the scope; without `payloads` only keys, fingerprints and counts (a poll that
    finds no change needs nothing more: `payloads_of` reads the few it does need)."""
    payload = "payload" if payloads else "NULL AS payload"
    rows = await db.fetchall(
        f"SELECT record_key, fingerprint, {payload}, student_id, revision, missing_count FROM alert_seen"
        " WHERE class_name = ? AND kind = ? ORDER BY record_key",
        (class_name, kind),
    )
    return [_record(r) for r in rows]


async def fingerprints(db: Database, class_name: str, kind: str) -> list[tuple[str, str, str | None, int]]:
    """(key, fingerprint, student id, missing count) of every record of `kind` in the scope: what tells whether
    anything changed at all, read from an index alone."""
    rows = await db.fetchall(
        "SELECT record_key, fingerprint, student_id, missing_count FROM alert_seen WHERE class_name = ? AND kind = ?",
        (class_name, kind),
    )
    return [tuple(r) for r in rows]


async def payloads_of(db: Database, class_name: str, kind: str, keys: Iterable[str]) -> dict[str, str]:
    """The stored JSON text of these records, by key."""
    wanted = sorted(set(keys))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = await db.fetchall(
            f"SELECT record_key, payload FROM alert_seen WHERE class_name = ? AND kind = ?"
            f" AND record_key IN ({','.join('?' * len(chunk))})",
            (class_name, kind, *chunk),
        )
        found.update((r["record_key"], r["payload"]) for r in rows)
    return found


async def store(
    db: Database, class_name: str, kind: str, upserts: Iterable[SeenRecord], deletes: Iterable[str], now: datetime
) -> None:
    """Write one diff; call inside the transaction that also queues its alerts."""
    stamp = to_db(now)
    rows = [
        (class_name, kind, r.key, r.student_id, r.fingerprint, r.stored(), r.revision, r.missing_count, stamp)
        for r in upserts
    ]
    if rows:
        await db.executemany(
            "INSERT INTO alert_seen (class_name, kind, record_key, student_id, fingerprint, payload, revision,"
            " missing_count, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (class_name, kind, record_key) DO UPDATE SET student_id = excluded.student_id,"
            " fingerprint = excluded.fingerprint, payload = excluded.payload, revision = excluded.revision,"
            " missing_count = excluded.missing_count, updated_at = excluded.updated_at",
            rows,
        )
    gone = [(class_name, kind, key) for key in deletes]
    if gone:
        await db.executemany("DELETE FROM alert_seen WHERE class_name = ? AND kind = ? AND record_key = ?", gone)


async def baselined(db: Database, class_name: str, kind: str = RECORDS) -> set[str]:
    """Students of the class whose first sync of `kind` is done; CLASS_SCOPE in the set: the class's own."""
    rows = await db.fetchall(
        "SELECT student_id FROM alert_baselines WHERE class_name = ? AND kind = ?", (class_name, kind)
    )
    return {r["student_id"] for r in rows}


async def mark_baselined(
    db: Database, class_name: str, student_ids: Iterable[str], now: datetime, kind: str = RECORDS
) -> None:
    rows = [(class_name, student_id, kind, to_db(now)) for student_id in student_ids]
    if rows:
        await db.executemany(
            "INSERT OR IGNORE INTO alert_baselines (class_name, student_id, kind, synced_at) VALUES (?, ?, ?, ?)",
            rows,
        )


async def forget_unfollowed(db: Database, followed: dict[str, set[str]]) -> int:
    """Drop records and baselines of classes and students nobody follows now; returns rows removed.

    `followed` maps each followed class to its followed students.
    """
    removed = 0
    async with db.transaction():
        classes = {
            r["class_name"]
            for r in await db.fetchall("SELECT class_name FROM alert_baselines UNION SELECT class_name FROM alert_seen")
        }
        for class_name in classes:
            if class_name not in followed:
                for table in ("alert_seen", "alert_baselines"):
                    cur = await db.execute(f"DELETE FROM {table} WHERE class_name = ?", (class_name,))
                    removed += cur.rowcount
                continue
            keep = sorted(followed[class_name])
            marks = ",".join("?" * len(keep)) or "''"
            cur = await db.execute(
                f"DELETE FROM alert_seen WHERE class_name = ? AND kind IN ('grade', 'attendance')"
                f" AND student_id NOT IN ({marks})",
                (class_name, *keep),
            )
            removed += cur.rowcount
            cur = await db.execute(
                f"DELETE FROM alert_baselines WHERE class_name = ? AND student_id != ''"
                f" AND student_id NOT IN ({marks})",
                (class_name, *keep),
            )
            removed += cur.rowcount
    return removed


async def homework_due(db: Database, due: date) -> dict[str, list[dict[str, Any]]]:
    """Homework due on `due` that the last poll still saw, by class."""
    rows = await db.fetchall(
        "SELECT class_name, payload FROM alert_seen WHERE kind = 'homework' AND missing_count = 0"
        " AND json_extract(payload, '$.due') = ? ORDER BY class_name, record_key",
        (due.isoformat(),),
    )
    result: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        result.setdefault(r["class_name"], []).append(json.loads(r["payload"]))
    return result
