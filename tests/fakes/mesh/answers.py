"""What the fake МЭШ host answers, endpoint by endpoint, over the fake school (tests/fakes/mesh/school.py) in
the real shapes (render.py). The server (tests/fakes/mesh_server.py) does the transport, tokens and faults."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tests.fakes.mesh import render
from tests.fakes.mesh.school import ACADEMIC_YEAR_ID, FakeSchool
from tests.fakes.mesh.school import Student as FakeStudent

ACL = "/api/ej/acl/v1/mod-acl/users/profile_info"
ACL_LEGACY = "/acl/api/users/profile_info"
REFRESH = "/v3/token/refresh"
TEACHER = "/api/ej/core/teacher/v1"
PLAN = "/api/ej/plan/teacher/v1"
FAMILY = "/api/family/mobile/v1"
GROUPS = f"{PLAN}/groups"
SCHEDULE_ITEMS = f"{PLAN}/schedule_items"
STUDENT_PROFILES = f"{TEACHER}/student_profiles"
TEACHER_PROFILES = f"{TEACHER}/teacher_profiles"
MARKS = f"{TEACHER}/marks"
HOMEWORKS = f"{TEACHER}/homeworks"
ACADEMIC_YEARS = f"{TEACHER}/academic_years"
PERIOD_SCHEDULES = f"{TEACHER}/attestation_periods_schedules"
FAMILY_PROFILE = f"{FAMILY}/profile"
FAMILY_MARKS = f"{FAMILY}/marks"
SUBJECTS = f"{FAMILY}/subjects/list"
SUBJECT_MARKS = f"{FAMILY}/subject_marks"
EVENTS = "/api/eventcalendar/v1/api/events"
DEFAULT_PER_PAGE = 50

STAFF, FAMILY_KIND = "staff", "family"
ACCOUNTS = {STAFF: (5001, "teacher"), FAMILY_KIND: (7001, "parent")}  # kind -> (profile id, type)


def staff_answer(school: FakeSchool, path: str, q: Mapping[str, str]) -> Any:
    """The teacher API's answer to `path` with query `q`; None: no such endpoint. KeyError: a missing parameter."""
    if path == ACADEMIC_YEARS:
        return render.academic_years(school)
    if path.startswith(PERIOD_SCHEDULES + "/"):
        return render.periods_schedule(school)
    if path.startswith(TEACHER_PROFILES + "/"):
        teacher_id = int(path.rsplit("/", 1)[1])
        return render.teacher_profile(school, teacher_id) if teacher_id in school.teachers else None
    if path in (GROUPS, SCHEDULE_ITEMS, STUDENT_PROFILES) and q["academic_year_id"] != str(ACADEMIC_YEAR_ID):
        return []
    if path == GROUPS:
        classes, groups = _ints(q.get("class_unit_ids")), _ints(q.get("group_ids"))
        found = [
            render.group(school, g.id)
            for g in school.groups.values()
            if (not classes or g.class_id in classes) and (not groups or g.id in groups)
        ]
        return _page(found, q)
    if path == TEACHER_PROFILES:
        return _page([render.teacher_profile(school, t) for t in school.teachers], q)
    if path == STUDENT_PROFILES:
        classes = _ints(q["class_unit_ids"])
        pupils = [s for s in school.students.values() if s.class_id in classes]
        return _page([render.student_profile(school, s) for s in pupils], q)
    if path == SCHEDULE_ITEMS:
        return _page([render.schedule_item(school, x) for x in _lessons(school, q)], q)
    if path == MARKS:
        groups, start, end = _ints(q["group_ids"]), _ru(q["created_at_from"]), _ru(q["created_at_to"])
        marks = [m for m in school.marks.values() if m.group_id in groups and start <= m.created_at.date() <= end]
        return _page([render.teacher_mark(school, m) for m in sorted(marks, key=lambda m: m.id)], q)
    if path == HOMEWORKS:
        groups, start, end = _ints(q["group_ids"]), _ru(q["date_prepared_for_from"]), _ru(q["date_prepared_for_to"])
        tasks = [h for h in school.homework.values() if h.group_id in groups and start <= h.due <= end]
        return _page([render.teacher_homework(school, h) for h in tasks], q)
    return None


def _lessons(school: FakeSchool, q: Mapping[str, str]) -> list:
    start, end = date.fromisoformat(q["from"]), date.fromisoformat(q["to"])
    lessons = [x for x in school.lessons.values() if start <= x.day <= end]
    if "class_unit_id" in q:
        lessons = [x for x in lessons if school.groups[x.group_id].class_id == int(q["class_unit_id"])]
    elif "teacher_id" in q:
        teacher = int(q["teacher_id"])
        lessons = [x for x in lessons if teacher in (x.teacher_id, x.replaced_teacher_id)]
    else:
        raise KeyError("class_unit_id or teacher_id")
    return sorted(lessons, key=lambda x: (x.day, x.start, x.id))


def children(school: FakeSchool, kind: str) -> list[FakeStudent]:
    profile_id, _ = ACCOUNTS[kind]
    return [s for s in school.students.values() if profile_id in s.parent_ids]


def family_answer(school: FakeSchool, kind: str, path: str, q: Mapping[str, str]) -> Any:
    """The family API's and the event calendar's answer; PermissionError: not the account's child."""
    kids = children(school, kind)
    if path == FAMILY_PROFILE:
        parent = school.parents[ACCOUNTS[FAMILY_KIND][0]]
        profile = {"id": parent.id, "type": "parent", **render.names(parent), "email": None}
        return {"profile": profile, "children": [render.family_child(school, s) for s in kids], "hash": "h"}
    if path == EVENTS:
        child = next((s for s in kids if s.guid == q["person_ids"]), None)
        if child is None:
            raise PermissionError
        start, end = date.fromisoformat(q["begin_date"]), date.fromisoformat(q["end_date"])
        lessons = [
            x
            for x in school.lessons.values()
            if school.in_group(child, school.groups[x.group_id]) and start <= x.day <= end
        ]
        events = [render.event(school, x, child) for x in sorted(lessons, key=lambda x: (x.day, x.start))]
        return {"total_count": len(events), "response": events, "errors": None}
    child = next((s for s in kids if str(s.id) == q["student_id"]), None)
    if child is None:
        raise PermissionError
    if path == SUBJECTS:
        return {"payload": [{"subject_id": i, "subject_name": n} for i, n in school.subjects.items()]}
    if path == SUBJECT_MARKS:
        return {"payload": render.subject_marks(school, child)}
    if path == FAMILY_MARKS:
        start, end = date.fromisoformat(q["from"]), date.fromisoformat(q["to"])
        marks = [m for m in school.marks.values() if m.student_id == child.id and start <= m.day <= end]
        return {"payload": [render.family_mark(school, m) for m in sorted(marks, key=lambda m: m.id)]}
    return None


def _ints(value: str | None) -> set[int]:
    return {int(v) for v in value.split(",") if v.strip()} if value else set()


def _ru(value: str) -> date:
    day, month, year = value.split(".")
    return date(int(year), int(month), int(day))


def _page(items: list, q) -> list:
    page, per_page = int(q.get("page", 1)), int(q.get("per_page", DEFAULT_PER_PAGE))
    return items[(page - 1) * per_page : page * per_page]
