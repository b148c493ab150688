"""Timestamps are stored as UTC ISO-8601 strings, which sort correctly as text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@overload
def from_db(value: str) -> datetime: ...
@overload
def from_db(value: None) -> None: ...
@overload
def from_db(value: str | None) -> datetime | None: ...


def from_db(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
