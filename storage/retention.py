"""The daily purge (bot/retention): what is deleted or anonymised after its retention period.

Kept on purpose: outbox rows with a `ref` that Telegram accepted (a feature finds them again: a reply to a
relayed message finds its thread through the row's chat and sent message id), with their payload emptied;
audit events themselves (the school's security record), with the Telegram id and the detail cleared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db

EMPTY_PAYLOAD = "{}"


@dataclass(frozen=True, slots=True)
class Purged:
    outbox_deleted: int = 0
    outbox_emptied: int = 0
    codes_deleted: int = 0
    audit_anonymised: int = 0


async def purge_outbox(db: Database, before: datetime) -> tuple[int, int]:
    """Sent rows without a ref and failed rows finished before `before` are deleted; sent rows with a ref
    keep only what finds them again. Returns (deleted, emptied)."""
    cutoff = to_db(before)
    async with db.transaction():
        deleted = await db.execute(
            "DELETE FROM outbox WHERE COALESCE(sent_at, created_at) < ?"
            " AND (status = 'failed' OR (status = 'sent' AND ref IS NULL))",
            (cutoff,),
        )
        emptied = await db.execute(
            "UPDATE outbox SET payload = ?, last_error = NULL WHERE status = 'sent' AND ref IS NOT NULL"
            " AND sent_at < ? AND payload != ?",
            (EMPTY_PAYLOAD, cutoff, EMPTY_PAYLOAD),
        )
    return deleted.rowcount, emptied.rowcount


async def purge_codes(db: Database, expired_before: datetime) -> int:
    """Code records whose validity ended before `expired_before`, used or not (the links and the audit
    log keep what happened)."""
    cur = await db.execute("DELETE FROM link_codes WHERE expires_at < ?", (to_db(expired_before),))
    return cur.rowcount


async def anonymise_audit(db: Database, before: datetime) -> int:
    """Events before `before` keep what happened to which e-diary person and when; who and the detail go."""
    cur = await db.execute(
        "UPDATE audit_log SET user_id = NULL, detail = NULL"
        " WHERE at < ? AND (user_id IS NOT NULL OR detail IS NOT NULL)",
        (to_db(before),),
    )
    return cur.rowcount
