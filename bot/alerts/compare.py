"""What was seen of a scope, compared with a complete answer (detect.py), doing only what the comparison needs.

Every record's key and fingerprint are compared with the stored keys and fingerprints (read from an index);
when they all agree and nothing was missing before, that is the answer: no change. Otherwise the records are
compared in full, with the stored payloads of those that may have changed (a different fingerprint, missing
from the answer, or missing before) and the JSON form of the answer's records made only for those it needs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from bot.alerts.detect import Diff, Observed, diff
from storage import seen as seen_repo
from storage.db import Database
from storage.seen import SeenRecord


class Fingerprinted(Protocol):
    def fingerprint(self) -> str: ...


R = TypeVar("R", bound=Fingerprinted)


@dataclass(frozen=True)
class Records(Generic[R]):
    """An answer's records of one kind, and how the comparison sees each: its stable key, its JSON form (only
    made for a record that is stored or told), and, for per-student records, whose it is."""

    items: Sequence[R]
    key: Callable[[R], str]
    payload: Callable[[R], dict[str, Any]]
    student: Callable[[R], str | None] | None = None


async def compare(
    db: Database,
    scope: str,
    kind: str,
    records: Records[Any],
    in_window: Callable[[SeenRecord], bool],
    students: Collection[str] | None = None,
) -> Diff:
    """The diff of `records` against what is stored of `kind` in `scope` (of these students only, if given)."""
    present: dict[str, str] = {}
    for item in records.items:
        key = records.key(item)
        if key not in present:  # a record listed twice counts once, as in diff()
            present[key] = item.fingerprint()
    stored = await seen_repo.fingerprints(db, scope, kind)
    if students is not None:
        stored = [row for row in stored if row[2] in students]
    if not any(row[3] for row in stored) and {row[0]: row[1] for row in stored} == present:
        return Diff()  # the same records with the same fingerprints, none missing before: nothing to do
    seen = await seen_repo.load(db, scope, kind, payloads=False)
    if students is not None:
        seen = [r for r in seen if r.student_id in students]
    wanted = [r.key for r in seen if r.missing_count or present.get(r.key) != r.fingerprint]
    if wanted:
        found = await seen_repo.payloads_of(db, scope, kind, wanted)
        seen = [replace(r, content=found[r.key]) if r.key in found else r for r in seen]
    student = records.student
    observed = [
        Observed(
            records.key(item),
            item.fingerprint(),
            functools.partial(records.payload, item),
            student(item) if student is not None else None,
        )
        for item in records.items
    ]
    return diff(seen, observed, in_window=in_window)
