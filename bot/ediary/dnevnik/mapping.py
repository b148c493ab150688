"""Дневник.ру reference data -> model: people (camelCase persons, PascalCase teachers), classes, periods,
work types with weights and bell times. Records (marks, lessons, homework) are in records.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Generic, TypeVar

from bot.ediary.dnevnik.fields import Fields, parse_datetime, same_id
from bot.ediary.model import Period, Person, Role, Sex
from bot.ediary.provider import IncompleteAnswer

T = TypeVar("T")

CLASS_GROUP_TYPES = frozenset({"group", "class"})  # EduGroup.type of a whole class (subgroups differ) [G]
HOMEROOM_KEYS = ("IdStr", "Id_str", "id_str", "Name", "name")  # a class id is surer than its name
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class IdTable(Generic[T]):
    """Records by id string, also found by an int id that came without its `_str` twin."""

    def __init__(self, items: Iterable[tuple[str, T]] = ()) -> None:
        self.by_id: dict[str, T] = dict(items)

    def find(self, key: object) -> T | None:
        if isinstance(key, str):
            return self.by_id.get(key)
        if isinstance(key, int) and not isinstance(key, bool):
            exact = self.by_id.get(str(key))
            if exact is not None:
                return exact
            matches = [value for id_str, value in self.by_id.items() if same_id(key, id_str)]
            return matches[0] if len(matches) == 1 else None
        return None

    def lookup(self, record: dict[str, Any], name: str) -> T | None:
        """By `name_str` when the record has it, else by the int `name`."""
        twin = record.get(f"{name}_str")
        return self.find(twin if isinstance(twin, str) else record.get(name))

    def __len__(self) -> int:
        return len(self.by_id)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    """A student on a class roster; `user_id` (login account) is needed for the relatives call."""

    person: Person
    user_id: str | None
    group: Group


@dataclass(frozen=True, slots=True)
class TeacherRecord:
    person: Person
    subjects: tuple[str, ...]
    homerooms: tuple[str, ...]  # group ids or class names from HouseMaster


@dataclass(frozen=True, slots=True)
class WorkType:
    id: str
    title: str
    weight: float


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    period: Period
    number: int | None
    kind: str | None
    year: int | None


def full_name(f: Fields, record: dict[str, Any], pascal: bool = False) -> str:
    keys = (
        ("LastName", "FirstName", "MiddleName", "ShortName")
        if pascal
        else ("lastName", "firstName", "middleName", "shortName")
    )
    parts = [f.text(record, key, optional=True) for key in keys[:3]]
    name = " ".join(p for p in parts if p)
    return name or f.req_text(record, keys[3])


def sex_of(value: object) -> Sex | None:
    text = str(value).strip().casefold() if isinstance(value, str) else ""
    if text in {"male", "m", "м"}:
        return Sex.MALE
    if text in {"female", "f", "ж"}:
        return Sex.FEMALE
    return None


def person(f: Fields, record: dict[str, Any], role: Role) -> Person:
    """A camelCase Person: id/id_str, names, sex."""
    return Person(f.req_id(record, "id"), full_name(f, record), role, sex_of(record.get("sex")))


def member(f: Fields, record: dict[str, Any], group: Group) -> Member:
    return Member(person(f, record, Role.STUDENT), f.id(record, "userId", optional=True), group)


def relatives(f: Fields, payload: object) -> list[Person]:
    """`users/{u}/relatives`: `{type, person, relatives[]}` (or a list of them); each relative is a Person or
    `{type, person}`."""
    entries: list[Any] = []
    for block in payload if isinstance(payload, list) else [f.answer_dict(payload)]:
        if isinstance(block, dict):
            entries.extend(f.answer_list(block.get("relatives", [])))

    def read(entry: dict[str, Any]) -> Person:
        inner = entry.get("person")
        return person(f, inner if isinstance(inner, dict) else entry, Role.PARENT)

    return list(f.each(entries, read))


def _names(value: object, f: Fields, field: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """Subjects or homerooms: a list of strings or of objects (the first of `keys` they have), or one of them."""
    if value is None or value is False:
        return ()
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
        elif isinstance(item, dict):
            found = next((item[k] for k in keys if isinstance(item.get(k), str) and item[k].strip()), None)
            if found is None:
                f.note(field, "holds an object without " + " or ".join(keys))
            else:
                names.append(found.strip())
        elif item is not True:
            f.note(field, f"holds a {type(item).__name__}")
    return tuple(names)


def teacher_record(f: Fields, record: dict[str, Any]) -> TeacherRecord:
    """`schools/{s}/teachers`: PascalCase `{Id, IdStr, FirstName, LastName, MiddleName, Subjects, HouseMaster}`."""
    found = Person(f.req_id(record, "Id"), full_name(f, record, pascal=True), Role.TEACHER, sex_of(record.get("Sex")))
    if record.get("HouseMaster") is True:
        f.note("HouseMaster", "is a bare flag: the homeroom class is unknown")
    return TeacherRecord(
        found,
        _names(record.get("Subjects"), f, "Subjects", ("Name", "name")),
        _names(record.get("HouseMaster"), f, "HouseMaster", HOMEROOM_KEYS),
    )


def group(f: Fields, record: dict[str, Any]) -> Group:
    return Group(f.req_id(record, "id"), f.req_text(record, "name"))


def is_class(f: Fields, record: dict[str, Any]) -> bool:
    kind = record.get("type")
    if not isinstance(kind, str):
        f.note("type", "is missing: the group is taken for a class")
        return True
    return kind.strip().casefold() in CLASS_GROUP_TYPES


def work_types(f: Fields, payload: object) -> IdTable[WorkType]:
    def read(record: dict[str, Any]) -> WorkType:
        weight = record.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            f.note("weight", "is missing or not a positive number; 1 is used")
            weight = 1
        return WorkType(f.req_id(record, "id"), f.req_text(record, "title", "name"), float(weight))

    return IdTable((w.id, w) for w in f.each(f.answer_list(payload), read))


def subjects(f: Fields, records: list[Any]) -> IdTable[str]:
    def read(record: dict[str, Any]) -> tuple[str, str]:
        return f.req_id(record, "id"), f.req_text(record, "name")

    return IdTable(f.each(records, read))


def period_infos(f: Fields, payload: object, today: date) -> list[PeriodInfo]:
    """The reporting periods of the school year around `today`, in order."""

    def read(record: dict[str, Any]) -> PeriodInfo:
        start, end = f.req_day(record, "start"), f.req_day(record, "finish")
        number = f.integer(record, "number", optional=True)
        kind = f.text(record, "type", optional=True)
        name = f.text(record, "name", optional=True) or f"{kind or 'period'} {(number or 0) + 1}"
        return PeriodInfo(
            Period(f.req_id(record, "id"), name, start, end), number, kind, f.integer(record, "year", optional=True)
        )

    infos = sorted(f.each(f.answer_list(payload), read), key=lambda p: p.period.start)
    return current_year(infos, today)


def current_year(infos: list[PeriodInfo], today: date) -> list[PeriodInfo]:
    """Periods of the year containing today, else the latest year begun, else the first one listed."""
    years: dict[int | None, list[PeriodInfo]] = {}
    for info in infos:
        years.setdefault(info.year, []).append(info)
    if len(years) <= 1:
        return infos
    ordered = sorted(years.values(), key=lambda ps: ps[0].period.start)
    for year in ordered:
        if year[0].period.start <= today <= year[-1].period.end:
            return year
    begun = [y for y in ordered if y[0].period.start <= today]
    return begun[-1] if begun else ordered[0]


@dataclass(frozen=True, slots=True)
class Bell:
    number: int
    start: time
    end: time
    weekdays: frozenset[int] | None  # ISO weekdays; None: every day


class Bells:
    """Lesson number -> start and end, from `timetables` (PascalCase `{Start, Items:[{LessonNumber, Start,
    Finish, DaysOfWeek}]}`, one object or a list of them that take effect from their Start date)."""

    def __init__(self, timetables: list[tuple[date | None, list[Bell]]]) -> None:
        self.timetables = sorted(timetables, key=lambda t: t[0] or date.min, reverse=True)

    def times(self, number: int, day: date) -> tuple[time, time] | None:
        for since, bells in self.timetables:
            if since is not None and since > day:
                continue
            for bell in bells:
                if bell.number == number and (bell.weekdays is None or day.isoweekday() in bell.weekdays):
                    return bell.start, bell.end
        return None


def bells(f: Fields, payload: object) -> Bells:
    tables = payload if isinstance(payload, list) else [f.answer_dict(payload)]
    result = []
    for table in tables:
        if not isinstance(table, dict):
            f.note("[]", "holds a timetable that is not an object")
            continue
        since = None
        if isinstance(table.get("Start"), str):
            try:
                since = parse_datetime(table["Start"], f.tz).date()
            except ValueError:
                f.note("Start", "is not a date; the timetable is taken as always valid")
        items = f.objects(table, "Items")
        result.append(
            (since, list(f.each((i for i in items if i.get("LessonNumber") is not None), lambda i: _bell(f, i))))
        )
    return Bells(result)


def _bell(f: Fields, item: dict[str, Any]) -> Bell:
    number = f.integer(item, "LessonNumber")
    assert number is not None
    return Bell(number, f.clock_time(item, "Start"), f.clock_time(item, "Finish"), _weekdays(f, item.get("DaysOfWeek")))


def _weekdays(f: Fields, value: object) -> frozenset[int] | None:
    """ISO weekdays from ints (.NET 0=Sunday..6, or 7=Sunday) or English day names; absent: every day."""
    if value is None or value == [] or value == "":
        return None
    items: list[Any] = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [value]
    days = set()
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 7:
            days.add(item or 7)
        elif isinstance(item, str) and item.strip().casefold()[:3] in {w[:3] for w in WEEKDAYS}:
            days.add([w[:3] for w in WEEKDAYS].index(item.strip().casefold()[:3]) + 1)
        else:
            f.note("DaysOfWeek", "has a form not understood; the bell counts for every day")
            return None
    return frozenset(days)


def context_schools(f: Fields, payload: object) -> list[tuple[str, str]]:
    """`users/me/context` -> [(school id, name)]."""
    schools = f.answer_dict(payload).get("schools", [])
    if not isinstance(schools, list):
        raise IncompleteAnswer("Дневник.ру users/me/context: `schools` is not a list")
    return list(f.each(schools, lambda s: (f.req_id(s, "id"), f.req_text(s, "name"))))
