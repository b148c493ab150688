"""Reading МЭШ JSON records field by field: a record with a missing or mistyped field is skipped, and each
endpoint+field problem is logged once; an answer of the wrong shape is an IncompleteAnswer."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, tzinfo
from typing import Any, TypeVar

from bot.ediary.provider import IncompleteAnswer

log = logging.getLogger(__name__)

T = TypeVar("T")
_RU_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


class BadRecord(Exception):
    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")
        self.field = field
        self.why = why


class FieldProblems:
    """Remembers which endpoint+field problems were already logged (one line each per provider)."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()

    def note(self, endpoint: str, problem: BadRecord) -> None:
        key = (endpoint, problem.field)
        if key not in self.seen:
            self.seen.add(key)
            log.warning("МЭШ %s: records with %s are skipped (%s)", endpoint, problem.field, problem.why)


def mapped(
    records: Iterable[Any], endpoint: str, problems: FieldProblems, mapper: Callable[[dict], T | None]
) -> list[T]:
    """`mapper` over the records that read cleanly; None from the mapper drops a record on purpose."""
    result = []
    for record in records:
        try:
            if not isinstance(record, dict):
                raise BadRecord("record", f"a {type(record).__name__}, not an object")
            value = mapper(record)
        except BadRecord as problem:
            problems.note(endpoint, problem)
            continue
        if value is not None:
            result.append(value)
    return result


def payload(answer: Any, endpoint: str) -> list:
    """A family-API list: `{payload: [...]}` or a bare array."""
    if isinstance(answer, dict):
        answer = answer.get("payload")
    if not isinstance(answer, list):
        raise IncompleteAnswer(f"МЭШ {endpoint}: no list in the answer")
    return answer


def as_list(answer: Any, endpoint: str) -> list:
    if not isinstance(answer, list):
        raise IncompleteAnswer(f"МЭШ {endpoint}: no list in the answer")
    return answer


def _checked(record: dict, field: str, kinds: type | tuple[type, ...]) -> object:
    value = record.get(field)
    if value is None:
        raise BadRecord(field, "missing")
    if isinstance(value, bool) and kinds is not bool:
        raise BadRecord(field, "a boolean")
    if not isinstance(value, kinds):
        raise BadRecord(field, f"a {type(value).__name__}")
    return value


def need(record: dict, field: str, kind: type[T]) -> T:
    value = _checked(record, field, kind)
    assert isinstance(value, kind)  # _checked made sure; this narrows the type
    return value


def maybe(record: dict, field: str, kind: type[T]) -> T | None:
    return None if record.get(field) is None else need(record, field, kind)


def maybe_number(record: dict, field: str) -> float | None:
    if record.get(field) is None:
        return None
    value = _checked(record, field, (int, float))
    assert isinstance(value, (int, float))
    return float(value)


def ident(record: dict, field: str) -> str:
    """An id as our protocol keeps it: a string (МЭШ ids are ints, person GUIDs strings)."""
    text = str(_checked(record, field, (int, str))).strip()
    if not text:
        raise BadRecord(field, "empty")
    return text


def maybe_ident(record: dict, field: str) -> str | None:
    return None if record.get(field) is None else ident(record, field)


def flag(record: dict, field: str) -> bool:
    return bool(maybe(record, field, bool))


def text(record: dict, field: str) -> str:
    value = need(record, field, str).strip()
    if not value:
        raise BadRecord(field, "empty")
    return value


def day(record: dict, field: str, tz: tzinfo | None = None) -> date:
    """A date as the platform writes it: 2026-11-25, 25.11.2026, [2026, 11, 25] or an ISO date-time."""
    value = record.get(field)
    if value is None:
        raise BadRecord(field, "missing")
    parsed = parse_day(value, tz)
    if parsed is None:
        raise BadRecord(field, "not a date")
    return parsed


def maybe_day(record: dict, field: str, tz: tzinfo | None = None) -> date | None:
    return None if record.get(field) is None else day(record, field, tz)


def parse_day(value: object, tz: tzinfo | None = None) -> date | None:
    if isinstance(value, list) and len(value) == 3 and all(type(v) is int for v in value):
        try:
            return date(*value)
        except ValueError:
            return None
    if not isinstance(value, str):
        return None
    match = _RU_DATE.fullmatch(value.strip())
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = parse_moment(value, tz)
    except ValueError:
        return None
    return moment.date() if moment else None


def parse_moment(value: object, tz: tzinfo | None) -> datetime | None:
    """School-local wall time of an ISO date-time; one without an offset is school-local already."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None and tz is not None:
        moment = moment.astimezone(tz)
    return moment.replace(tzinfo=None)


def moment(record: dict, field: str, tz: tzinfo) -> datetime:
    value = record.get(field)
    if value is None:
        raise BadRecord(field, "missing")
    parsed = parse_moment(value, tz)
    if parsed is None:
        raise BadRecord(field, "not a date-time")
    return parsed


def clock_time(record: dict, field: str) -> time:
    """[8, 30] or "08:30" (teacher schedule items)."""
    value = record.get(field)
    if isinstance(value, list) and len(value) >= 2 and all(type(v) is int for v in value[:2]):
        try:
            return time(value[0], value[1])
        except ValueError:
            pass
    elif isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise BadRecord(field, "missing" if value is None else "not a time")


def full_name(record: dict) -> str:
    parts = [record.get(f) for f in ("last_name", "first_name", "middle_name")]
    words = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
    if not words:
        raise BadRecord("last_name", "no name")
    return " ".join(words)
