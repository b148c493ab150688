"""The policy against guessing codes: at most 5 failed attempts per Telegram user per 15 minutes.

A blocked user's codes are not even looked up, so a valid code sent while blocked is not used up.
The window slides: the block ends 15 minutes after the oldest of the last five failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import codes as codes_repo
from storage.db import Database

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Standing:
    failures_left: int
    blocked_until: datetime | None


async def standing(db: Database, user_key: str, now: datetime) -> Standing:
    failures = await codes_repo.failed_attempts_since(db, user_key, now - WINDOW)
    if len(failures) >= MAX_FAILURES:
        return Standing(0, failures[-MAX_FAILURES] + WINDOW)
    return Standing(MAX_FAILURES - len(failures), None)


async def record_failure(db: Database, user_key: str, now: datetime) -> Standing:
    """Count one failure; the standing after it (blocked once the limit is reached)."""
    await codes_repo.add_failed_attempt(db, user_key, now, keep_after=now - WINDOW)
    return await standing(db, user_key, now)
