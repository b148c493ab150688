"""The audit log of security-relevant events: links, unlinks, code failures and blocks, issued and
revoked codes. Never a code in clear, never a name: ids and a short machine-readable detail only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, to_db

LINKED = "linked"
UNLINKED = "unlinked"
CODE_FAILED = "code_failed"  # detail: unknown | expired | used | revoked
CODE_BLOCKED = "code_blocked"  # the failure that reached the limit
ATTEMPT_WHILE_BLOCKED = "attempt_blocked"
CODE_ISSUED = "code_issued"  # detail: cli | bot
CODE_REVOKED = "code_revoked"
FORGOTTEN = "forgotten"  # a user erased their data (recorded without the user id)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at: datetime
    user_id: int | None
    event: str
    person_id: str | None
    detail: str | None


async def record(
    db: Database,
    event: str,
    *,
    at: datetime,
    user_id: int | None = None,
    person_id: str | None = None,
    detail: str | None = None,
) -> None:
    await db.execute(
        "INSERT INTO audit_log (at, user_id, event, person_id, detail) VALUES (?, ?, ?, ?, ?)",
        (to_db(at), user_id, event, person_id, detail),
    )


def _event(row) -> AuditEvent:
    return AuditEvent(
        row["id"],
        from_db(row["at"]),
        row["user_id"],
        row["event"],
        row["person_id"],
        row["detail"],
    )


async def events(db: Database, *, user_id: int | None = None, event: str | None = None) -> list[AuditEvent]:
    """Events, oldest first, optionally of one user and/or one kind."""
    clauses: list[str] = []
    params: list[int | str] = []
    if user_id is not None:
        clauses.append("user_id = ?")
        params.append(user_id)
    if event is not None:
        clauses.append("event = ?")
        params.append(event)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = await db.fetchall(f"SELECT * FROM audit_log{where} ORDER BY id", params)
    return [_event(r) for r in rows]


async def anonymize_user(db: Database, user_id: int) -> int:
    """/forget: keep the school's security record (what happened to which e-diary person, and when) but
    cut every tie to the Telegram account."""
    cur = await db.execute("UPDATE audit_log SET user_id = NULL WHERE user_id = ?", (user_id,))
    return cur.rowcount
