"""The fake Дневник.ру's answers, by path (below /v2/), with the scope each needs. See dnevnik_server.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tests.fakes.dnevnik_school import Group, Mark, ids

if TYPE_CHECKING:
    from tests.fakes.dnevnik_server import DnevnikFakeServer

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?")
ID = r"(?P<{}>[^/]+)"


class ApiError(Exception):
    def __init__(self, status: int, kind: str, description: str, *, html: bool = False) -> None:
        super().__init__(kind)
        self.status, self.kind, self.description, self.html = status, kind, description, html


def parse_when(text: str) -> datetime:
    """Padded or unpadded, with or without time and fraction."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise ApiError(400, "parameterInvalid", f"Неверный формат даты: {text}")
    y, m, d, hh, mm, ss, fraction = match.groups()
    micro = int((fraction or "0").ljust(6, "0")[:6])
    return datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0), micro)


def _not_found() -> ApiError:
    return ApiError(404, "resourceNotFound", "Объект не найден")


def _group(fake: DnevnikFakeServer, g: str) -> Group:
    found = fake.school.groups.get(g)
    if found is None:
        raise _not_found()
    return found


def _school(fake: DnevnikFakeServer, s: str) -> None:
    if s != fake.school.id:
        raise _not_found()


def _lesson_group(group: Group) -> str:
    return group.parent or group.id  # a subgroup's lessons are its class's in this small school


def context(fake: DnevnikFakeServer, query: dict[str, str]) -> Any:
    return fake.context()


def person(fake: DnevnikFakeServer, query: dict[str, str], p: str) -> Any:
    if p not in fake.school.people:
        raise _not_found()
    return fake.school.people[p].api()


def school(fake: DnevnikFakeServer, query: dict[str, str], s: str) -> Any:
    _school(fake, s)
    return {**ids("id", fake.school.id), "name": fake.school.name, "type": "School", "city": "Тверь"}


def school_groups(fake: DnevnikFakeServer, query: dict[str, str], s: str) -> Any:
    _school(fake, s)
    return [g.api() for g in fake.school.groups.values()]


def school_teachers(fake: DnevnikFakeServer, query: dict[str, str], s: str) -> Any:
    _school(fake, s)
    return [t.api(fake.school.groups) for t in fake.school.teachers.values()]


def group_persons(fake: DnevnikFakeServer, query: dict[str, str], g: str) -> Any:
    return [fake.school.people[p].api() for p in _group(fake, g).students]


def group_teachers(fake: DnevnikFakeServer, query: dict[str, str], g: str) -> Any:
    group_id = _lesson_group(_group(fake, g))
    teaching = sorted({x.teacher for x in fake.school.lessons.values() if x.group == group_id})
    return [fake.school.people[t].api() for t in teaching]


def group_subjects(fake: DnevnikFakeServer, query: dict[str, str], g: str) -> Any:
    group_id = _lesson_group(_group(fake, g))
    return fake.school.subjects_api({x.subject for x in fake.school.lessons.values() if x.group == group_id})


def reporting_periods(fake: DnevnikFakeServer, query: dict[str, str], g: str) -> Any:
    _group(fake, g)
    return fake.school.periods_api()


def timetables(fake: DnevnikFakeServer, query: dict[str, str], g: str) -> Any:
    return fake.school.timetable_api(_group(fake, g))


def group_lessons(fake: DnevnikFakeServer, query: dict[str, str], g: str, start: str, end: str) -> Any:
    group_id = _lesson_group(_group(fake, g))
    return [fake.school.lesson_api(x) for x in fake.school.lessons_of(group_id, parse_when(start), parse_when(end))]


def group_marks(fake: DnevnikFakeServer, query: dict[str, str], g: str, start: str, end: str) -> Any:
    group_id = _lesson_group(_group(fake, g))
    since, until = parse_when(start), parse_when(end)
    school = fake.school
    found = [m for m in school.marks.values() if school.works[m.work].group == group_id and since <= m.when <= until]
    return [m.api() for m in sorted(found, key=lambda m: (m.when, m.id))]


def final_marks(fake: DnevnikFakeServer, query: dict[str, str], g: str) -> Any:
    group_id = _group(fake, g).id
    school = fake.school
    works = {w.id: w for w in school.works.values() if w.group == group_id and w.period is not None}
    marks = [m for m in school.finals.values() if m.work in works]
    return {
        "marks": [m.api() for m in marks],
        "works": [w.api() for w in works.values()],
        "subjects": school.subjects_api({w.subject for w in works.values()}),
        "workTypes": school.work_types_api(with_weight=False),
    }


def relatives(fake: DnevnikFakeServer, query: dict[str, str], u: str) -> Any:
    school = fake.school
    pupil = next((p for p in school.people.values() if p.user_id == u), None)
    if pupil is None:
        raise _not_found()
    parents = school.relatives.get(u, [])
    return {
        "type": "Child",
        "person": pupil.api(),
        "relatives": [{"type": "Parent", "person": school.people[p].api()} for p in parents],
    }


def _bundle(fake: DnevnikFakeServer, marks: list[Mark]) -> dict[str, Any]:
    """Marks with their works, lessons, subjects and work types, as recentmarks gives them."""
    school = fake.school
    works = {m.work: school.works[m.work] for m in marks}
    lessons = {m.lesson: school.lessons[m.lesson] for m in marks if m.lesson in school.lessons}
    return {
        "marks": [m.api() for m in marks],
        "works": [w.api() for w in works.values()],
        "subjects": school.subjects_api({w.subject for w in works.values()}),
        "workTypes": school.work_types_api(with_weight=False),
        "lessons": [school.lesson_api(x) for x in lessons.values()],
        "lessonLogEntries": [],
    }


def recent_marks(fake: DnevnikFakeServer, query: dict[str, str], p: str, g: str) -> Any:
    """Newest first; `fromDate` is the newest date of the page; `limit` 1..100 (default 10)."""
    group_id = _lesson_group(_group(fake, g))
    try:
        limit = int(query.get("limit", "10"))
    except ValueError:
        limit = 0
    if not 1 <= limit <= 100:
        raise ApiError(400, "parameterInvalid", "limit должен быть от 1 до 100")
    until = parse_when(query["fromDate"]) if "fromDate" in query else datetime.max
    school = fake.school
    found = [
        m for m in school.marks.values() if m.person == p and school.works[m.work].group == group_id and m.when <= until
    ]
    found.sort(key=lambda m: (m.when, m.id), reverse=True)
    return _bundle(fake, found[:limit])


def schedules(fake: DnevnikFakeServer, query: dict[str, str], p: str, g: str) -> Any:
    group_id = _lesson_group(_group(fake, g))
    if "startDate" not in query or "endDate" not in query:
        raise ApiError(400, "parameterInvalid", "startDate и endDate обязательны")
    school = fake.school
    day, last = parse_when(query["startDate"]).date(), parse_when(query["endDate"]).date()
    days = []
    while day <= last:
        days.append(_schedule_day(fake, p, group_id, day))
        day += timedelta(days=1)
    return {
        "days": days,
        "nextDate": f"{last + timedelta(days=1)}T00:00:00",
        **ids("person", p),
        **ids("school", school.id),
    }


def _schedule_day(fake: DnevnikFakeServer, p: str, group_id: str, day: date) -> dict[str, Any]:
    school = fake.school
    lessons = school.lessons_of(group_id, datetime.combine(day, time()), datetime.combine(day, time()))
    lesson_ids = {x.id for x in lessons}
    works = [w for w in school.works.values() if w.lesson in lesson_ids]
    due = [w for w in school.works.values() if w.group == group_id and w.type == "Homework" and w.target == day]
    marks = [m for m in school.marks.values() if m.person == p and m.lesson in lesson_ids]
    teachers = {x.teacher for x in lessons}
    return {
        "date": f"{day.isoformat()}T00:00:00",
        "lessons": [school.lesson_api(x, in_schedule=True) for x in lessons],
        "marks": [m.api() for m in marks],
        "works": [w.api() for w in works],
        "homeworks": [w.api() for w in due],
        "subjects": school.subjects_api({x.subject for x in lessons} | {w.subject for w in due}),
        "workTypes": school.work_types_api(with_weight=False),
        "lessonLogEntries": [],
        "teachers": [{"person": school.people[t].api(), "role": "Teacher"} for t in sorted(teachers)],
    }


def lesson(fake: DnevnikFakeServer, query: dict[str, str], lesson_id: str) -> Any:
    found = fake.school.lessons.get(lesson_id)
    if found is None:
        raise _not_found()
    return fake.school.lesson_api(found)


def work(fake: DnevnikFakeServer, query: dict[str, str], w: str) -> Any:
    found = fake.school.works.get(w)
    if found is None:
        raise _not_found()
    return found.api()


def work_types(fake: DnevnikFakeServer, query: dict[str, str], s: str) -> Any:
    _school(fake, s)
    return fake.school.work_types_api()


def _p(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ID.format(m.group(1)), template)


EDU = "EducationalInfo"
ROUTES: list[tuple[str, str, str, Callable[..., Any]]] = [
    ("GET", _p("users/me/context"), "CommonInfo", context),
    ("GET", _p("persons/{p}"), "CommonInfo", person),
    ("GET", _p("schools/{s}"), "CommonInfo", school),
    ("GET", _p("schools/{s}/edu-groups"), EDU, school_groups),
    ("GET", _p("schools/{s}/teachers"), EDU, school_teachers),
    ("GET", _p("edu-groups/{g}/persons"), EDU, group_persons),
    ("GET", _p("edu-groups/{g}/teachers"), EDU, group_teachers),
    ("GET", _p("edu-groups/{g}/subjects"), EDU, group_subjects),
    ("GET", _p("edu-groups/{g}/reporting-periods"), EDU, reporting_periods),
    ("GET", _p("edu-groups/{g}/timetables"), EDU, timetables),
    ("GET", _p("edu-groups/{g}/lessons/{start}/{end}"), EDU, group_lessons),
    ("GET", _p("edu-groups/{g}/marks/{start}/{end}"), EDU, group_marks),
    ("GET", _p("edu-groups/{g}/final-marks"), EDU, final_marks),
    ("GET", _p("users/{u}/relatives"), "FriendsAndRelatives", relatives),
    ("GET", _p("persons/{p}/group/{g}/recentmarks"), EDU, recent_marks),
    ("GET", _p("persons/{p}/groups/{g}/schedules"), EDU, schedules),
    ("GET", _p("lessons/{lesson_id}"), EDU, lesson),
    ("GET", _p("works/{w}"), EDU, work),
    ("GET", _p("work-types/{s}"), EDU, work_types),
]
