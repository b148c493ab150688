"""Pure change detection: what was seen before + what the e-diary shows now -> changes and new state.

Records are compared by their stable key and a fingerprint of their content:
- a key not seen before is NEW;
- a known key whose fingerprint changed is CORRECTED (every change bumps the record's revision, so a
  grade corrected twice gives two corrections);
- a known key that is absent is REMOVED only after MISSING_LIMIT consecutive successful polls without
  it (e-diaries hiccup); a record that merely left the polled window is dropped silently.
Callers run this only on complete answers: a failed poll must never reach here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from storage.seen import SeenRecord

MISSING_LIMIT = 3


class ChangeKind(StrEnum):
    NEW = "new"
    CORRECTED = "corrected"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Observed:
    """One record as the e-diary shows it now. `content` is its JSON form, or what makes it: most records are
    unchanged, and only a new or changed one is stored or told."""

    key: str
    fingerprint: str
    content: dict[str, Any] | Callable[[], dict[str, Any]]
    student_id: str | None = None

    @property
    def payload(self) -> dict[str, Any]:
        return self.content() if callable(self.content) else self.content


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    key: str
    payload: dict[str, Any]  # the record now (for REMOVED: as last seen)
    old_payload: dict[str, Any] | None = None  # CORRECTED: the record before
    revision: int = 0
    student_id: str | None = None


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    upserts: list[SeenRecord] = field(default_factory=list)  # records to store (new, changed, missing counts)
    deletes: list[str] = field(default_factory=list)  # keys to forget (removed, or out of the window)


def diff(
    seen: Iterable[SeenRecord],
    observed: Iterable[Observed],
    *,
    in_window: Callable[[SeenRecord], bool],
    missing_limit: int = MISSING_LIMIT,
) -> Diff:
    """Compare a complete answer with the stored records of the same scope.

    `in_window(record)` says whether an absent record should still have been in the answer (a grade
    older than the polled window simply aged out and is forgotten without a word).
    """
    result = Diff()
    known = {record.key: record for record in seen}
    present: set[str] = set()
    for item in observed:
        if item.key in present:
            continue  # a provider listing a record twice does not make it two records
        present.add(item.key)
        before = known.get(item.key)
        if before is None:
            payload = item.payload
            result.changes.append(Change(ChangeKind.NEW, item.key, payload, student_id=item.student_id))
            result.upserts.append(SeenRecord(item.key, item.fingerprint, payload, item.student_id))
        elif before.fingerprint != item.fingerprint:
            revision = before.revision + 1
            payload = item.payload
            result.changes.append(
                Change(ChangeKind.CORRECTED, item.key, payload, before.payload, revision, item.student_id)
            )
            result.upserts.append(SeenRecord(item.key, item.fingerprint, payload, item.student_id, revision))
        elif before.missing_count:
            result.upserts.append(replace(before, missing_count=0))  # back again: it was a hiccup
    for key, record in known.items():
        if key in present:
            continue
        if not in_window(record):
            result.deletes.append(key)
        elif record.missing_count + 1 >= missing_limit:
            result.changes.append(
                Change(
                    ChangeKind.REMOVED, key, record.payload, revision=record.revision + 1, student_id=record.student_id
                )
            )
            result.deletes.append(key)
        else:
            result.upserts.append(replace(record, missing_count=record.missing_count + 1))
    return result
