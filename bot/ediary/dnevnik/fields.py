"""Tolerant reading of Дневник.ру JSON: ids from the `_str` twins, school-local dates, and one log line per
endpoint and field when a record has to be skipped (the API's shapes are partly guessed, see the reference)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, TypeVar

from bot.ediary.provider import IncompleteAnswer

log = logging.getLogger(__name__)

T = TypeVar("T")

SAFE_INT = 2**53  # beyond this an int read as a float (as JavaScript does) loses digits
_DATETIME = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*"
)
_TIME = re.compile(r"\s*(?:\d{4}-\d{1,2}-\d{1,2}[T ])?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?\s*")


class SkipRecord(Exception):
    """This record lacks a field we need: leave it out (the reason was logged once)."""


def parse_datetime(text: str, tz: tzinfo) -> datetime:
    """'2026-11-25T10:05:33.1234', '2026-9-1T8:5:0', '2026-11-25' -> naive school-local datetime.

    An offset, where one appears, is converted into the school's time zone. Raises ValueError."""
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0").ljust(6, "0")[:6])
    moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro)
    if offset:
        if offset == "Z":
            delta = timedelta(0)
        else:
            digits = offset[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            delta = -delta if offset[0] == "-" else delta
        moment = moment.replace(tzinfo=timezone(delta)).astimezone(tz).replace(tzinfo=None)
    return moment


def parse_time(text: str) -> time:
    """'08:30', '8:30:00', '0001-01-01T08:30:00' -> time. Raises ValueError."""
    match = _TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"not a time: {text!r}")
    hour, minute, second = match.groups()
    return time(int(hour), int(minute), int(second or 0))


def same_id(number: object, id_str: str) -> bool:
    """Whether an int id (no `_str` twin given) names `id_str`; tolerates the digits lost by a float round trip."""
    if isinstance(number, bool) or not isinstance(number, int | str):
        return False
    try:
        value, wanted = int(number), int(id_str)
    except ValueError:
        return False
    return value == wanted or (max(abs(value), abs(wanted)) >= SAFE_INT and float(value) == float(wanted))


class Fields:
    """Reads the records of one endpoint (a path template such as 'edu-groups/{g}/marks')."""

    def __init__(self, endpoint: str, tz: tzinfo, logged: set[tuple[str, str]]) -> None:
        self.endpoint = endpoint
        self.tz = tz
        self._logged = logged  # shared by the provider: one line per endpoint and field, ever

    def skip(self, field: str, why: str) -> SkipRecord:
        if (self.endpoint, field) not in self._logged:
            self._logged.add((self.endpoint, field))
            log.warning("dnevnik: %s: field %r %s; record skipped (not logged again)", self.endpoint, field, why)
        return SkipRecord(field)

    def note(self, field: str, why: str) -> None:
        """Something unexpected that does not cost the record."""
        if (self.endpoint, field) not in self._logged:
            self._logged.add((self.endpoint, field))
            log.warning("dnevnik: %s: field %r %s (not logged again)", self.endpoint, field, why)

    # lists and objects: a wrong shape of the whole answer means it is not to be trusted
    def answer_list(self, payload: object, key: str | None = None) -> list[Any]:
        if key is not None:
            payload = self.answer_dict(payload).get(key, [])
        if not isinstance(payload, list):
            raise IncompleteAnswer(f"Дневник.ру {self.endpoint}: expected a list, got {type(payload).__name__}")
        return payload

    def answer_dict(self, payload: object) -> dict[str, Any]:
        if not isinstance(payload, dict):
            raise IncompleteAnswer(f"Дневник.ру {self.endpoint}: expected an object, got {type(payload).__name__}")
        return payload

    def each(self, records: Iterable[Any], read: Callable[[dict[str, Any]], T]) -> Iterator[T]:
        """`read(record)` for every record that has what it needs."""
        for record in records:
            if not isinstance(record, dict):
                self.note("[]", f"holds a {type(record).__name__} instead of an object")
                continue
            try:
                yield read(record)
            except SkipRecord:
                continue

    def one(self, record: object, read: Callable[[dict[str, Any]], T]) -> T | None:
        """`read(record)`, or None when the record lacks what it needs."""
        return next(self.each([record], read), None)

    # fields
    def id(self, record: dict[str, Any], name: str, *, optional: bool = False) -> str | None:
        """`name_str` (or PascalCase `NameStr`); a bare int only while it is exact in every client."""
        for twin in (f"{name}_str", f"{name}Str"):
            value = record.get(twin)
            if isinstance(value, str) and value.strip():
                return value.strip()
        value = record.get(name)
        if value is None and optional:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < SAFE_INT:
            return str(value)
        raise self.skip(f"{name}_str", "is missing (and the int form is absent or beyond 2^53)")

    def req_id(self, record: dict[str, Any], name: str) -> str:
        value = self.id(record, name)
        assert value is not None
        return value

    def text(self, record: dict[str, Any], *names: str, optional: bool = False) -> str | None:
        """The first of `names` present as a non-empty string (ints are taken as their digits)."""
        for name in names:
            value = record.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            if isinstance(value, str) and value.strip():
                return value.strip()
            if value is not None and not isinstance(value, str):
                raise self.skip(name, f"is a {type(value).__name__}, expected text")
        if optional:
            return None
        raise self.skip(names[0], "is missing")

    def req_text(self, record: dict[str, Any], *names: str) -> str:
        value = self.text(record, *names)
        assert value is not None
        return value

    def integer(self, record: dict[str, Any], name: str, *, optional: bool = False) -> int | None:
        value = record.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        if value is None and optional:
            return None
        raise self.skip(name, "is missing or not a number")

    def moment(self, record: dict[str, Any], *names: str, optional: bool = False) -> datetime | None:
        text = self.text(record, *names, optional=optional)
        if text is None:
            return None
        try:
            return parse_datetime(text, self.tz)
        except ValueError:
            raise self.skip(names[0], "is not a date") from None

    def day(self, record: dict[str, Any], *names: str, optional: bool = False) -> date | None:
        moment = self.moment(record, *names, optional=optional)
        return None if moment is None else moment.date()

    def req_day(self, record: dict[str, Any], *names: str) -> date:
        value = self.day(record, *names)
        assert value is not None
        return value

    def clock_time(self, record: dict[str, Any], name: str) -> time:
        text = self.req_text(record, name)
        try:
            return parse_time(text)
        except ValueError:
            raise self.skip(name, "is not a time of day") from None

    def objects(self, record: dict[str, Any], name: str) -> list[dict[str, Any]]:
        """An optional list of objects (absent: empty); other items are noted and left out."""
        value = record.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.skip(name, f"is a {type(value).__name__}, expected a list")
        items = [item for item in value if isinstance(item, dict)]
        if len(items) != len(value):
            self.note(name, "holds items that are not objects")
        return items
