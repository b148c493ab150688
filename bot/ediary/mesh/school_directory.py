"""School mode, reference data: the academic year, groups (and so classes and subjects), each class's pupils
(with their final marks), the teachers and the attestation periods — read through the teacher API and kept
for REFERENCE_TTL on the injected clock."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from bot.ediary.mesh.client import Api
from bot.ediary.mesh.fields import (
    FieldProblems,
    day,
    flag,
    ident,
    mapped,
    maybe,
    maybe_ident,
    text,
)
from bot.ediary.mesh.mapping import person, representatives, student
from bot.ediary.mesh.provider import MeshBase
from bot.ediary.mesh.session import AcademicYear, current_year
from bot.ediary.model import Period, Person, Role, Student
from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderError

log = logging.getLogger(__name__)

GROUPS = "/api/ej/plan/teacher/v1/groups"
STUDENT_PROFILES = "/api/ej/core/teacher/v1/student_profiles"
TEACHER_PROFILES = "/api/ej/core/teacher/v1/teacher_profiles"
PERIOD_SCHEDULES = "/api/ej/core/teacher/v1/attestation_periods_schedules/{}"
YEAR_TTL = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    subject_id: str
    subject: str
    class_id: str
    class_name: str
    periods_schedule_id: str | None


@dataclass(frozen=True, slots=True)
class Pupil:
    student: Student
    parents: tuple[Person, ...]
    group_ids: frozenset[str] | None  # None: the answer did not say (then every class lesson is theirs)
    finals: tuple[dict, ...]  # raw `final_marks[]`, read in final_marks()


@dataclass(frozen=True, slots=True)
class Staff:
    person: Person
    group_ids: frozenset[str]
    homeroom_class_ids: frozenset[str]


def _group(record: dict) -> Group | None:
    if flag(record, "is_metagroup"):
        return None
    class_id = maybe_ident(record, "class_unit_id")
    if class_id is None:  # a group across classes (an elective): no class of its own
        return None
    return Group(
        id=ident(record, "id"),
        subject_id=ident(record, "subject_id"),
        subject=text(record, "subject_name"),
        class_id=class_id,
        class_name=text(record, "class_unit_name"),
        periods_schedule_id=maybe_ident(record, "attestation_periods_schedule_id"),
    )


def _ids(record: dict, field: str) -> frozenset[str]:
    values = maybe(record, field, list) or []
    return frozenset(str(v) for v in values if isinstance(v, (int, str)) and not isinstance(v, bool))


def _group_ids(record: dict) -> frozenset[str] | None:
    """`groups[]` (with_groups=true) or `group_ids[]`; None when neither is there."""
    groups = maybe(record, "groups", list)
    if groups is not None:
        return frozenset(str(g["id"]) for g in groups if isinstance(g, dict) and isinstance(g.get("id"), (int, str)))
    return _ids(record, "group_ids") if record.get("group_ids") is not None else None


def _period(record: dict) -> Period:
    return Period(ident(record, "id"), text(record, "name"), day(record, "begin_date"), day(record, "end_date"))


def class_sort_key(name: str) -> tuple[int, str]:
    """ "5-А" before "10-Б": the grade number first."""
    match = re.match(r"\d+", name)
    return (int(match[0]) if match else 99, name)


class SchoolDirectory(MeshBase):
    problems: FieldProblems

    async def year(self) -> AcademicYear:
        year = await self.cache.get(
            ("year",), lambda: current_year(self.client, self.clock.today(), self.problems), ttl=YEAR_TTL
        )
        self.client.academic_year_id = year.id
        return year

    async def school_id(self) -> str | None:
        if self.session.profile.school_id is not None:
            return self.session.profile.school_id

        async def load() -> str | None:
            path = f"{TEACHER_PROFILES}/{self.session.profile.id}"
            try:
                answer = await self.client.get(path, api=Api.TEACHER, name="teacher_profile")
            except ProviderAuthError as exc:
                if exc.missing_scope is None:
                    raise
                return None
            except ProviderError as exc:  # an admin's profile may have no teacher profile: groups go without it
                log.info("МЭШ teacher_profile: %s; groups are asked without school_id", exc)
                return None
            return maybe_ident(answer, "school_id") if isinstance(answer, dict) else None

        return await self.cache.get(("school_id",), load)

    async def groups(self) -> tuple[Group, ...]:
        async def load() -> tuple[Group, ...]:
            params = {"academic_year_id": (await self.year()).id, "with_periods_schedule_id": "true"}
            school = await self.school_id()
            if school is not None:
                params["school_id"] = school
            raw = await self.client.get_pages(GROUPS, api=Api.PLAN, name="groups", params=params)
            groups = tuple(mapped(raw, "groups", self.problems, _group))
            if raw and not groups:
                raise IncompleteAnswer("МЭШ groups: none of the groups could be read")
            return groups

        return await self.cache.get(("groups",), load)

    async def class_ids(self) -> dict[str, str]:
        """Class name -> class_unit_id."""
        return {g.class_name: g.class_id for g in await self.groups()}

    async def class_groups(self, class_name: str) -> list[Group]:
        return [g for g in await self.groups() if g.class_name == class_name]

    async def subject_names(self) -> dict[str, str]:
        return {g.subject_id: g.subject for g in await self.groups()}

    async def roster(self, class_name: str) -> tuple[Pupil, ...]:
        """The class's pupils with their final marks (one paged request per class and TTL)."""
        class_id = (await self.class_ids()).get(class_name)
        if class_id is None:
            return ()

        def pupil(record: dict) -> Pupil:
            finals = maybe(record, "final_marks", list) or []
            return Pupil(
                student(record, class_name, ""),
                tuple(representatives(record)),
                _group_ids(record),
                tuple(f for f in finals if isinstance(f, dict)),
            )

        async def load() -> tuple[Pupil, ...]:
            params = {
                "academic_year_id": (await self.year()).id,
                "class_unit_ids": class_id,
                "with_groups": "true",
                "with_final_marks": "true",
                "with_deleted": "false",
                "with_transferred": "false",
                "with_archived_groups": "false",
            }
            raw = await self.client.get_pages(STUDENT_PROFILES, api=Api.TEACHER, name="student_profiles", params=params)
            return tuple(mapped(raw, "student_profiles", self.problems, pupil))

        return await self.cache.get(("roster", class_name), load)

    async def everyone(self) -> list[Pupil]:
        names = sorted(await self.class_ids(), key=class_sort_key)
        rosters = await asyncio.gather(*(self.roster(name) for name in names))  # the client bounds concurrency
        return [p for roster in rosters for p in roster]

    async def pupil(self, student_id: str) -> Pupil | None:
        return next((p for p in await self.everyone() if p.student.id == student_id), None)

    async def staff(self) -> tuple[Staff, ...]:
        """The school's teachers with their groups and homeroom classes [G: list form of teacher_profiles]."""

        def member(record: dict) -> Staff:
            return Staff(
                person(record, Role.TEACHER),
                _ids(record, "assigned_group_ids") | _ids(record, "group_ids"),
                _ids(record, "managed_class_unit_ids"),
            )

        async def load() -> tuple[Staff, ...]:
            params = {"academic_year_id": (await self.year()).id, "with_assigned_groups": "true"}
            school = await self.school_id()
            if school is not None:
                params["school_id"] = school
            raw = await self.client.get_pages(TEACHER_PROFILES, api=Api.TEACHER, name="teacher_profiles", params=params)
            return tuple(mapped(raw, "teacher_profiles", self.problems, member))

        return await self.cache.get(("staff",), load)

    async def school_periods(self) -> list[Period]:
        """The attestation periods of the schedule most of the school's groups follow (quarters, mostly)."""
        counts = Counter(g.periods_schedule_id for g in await self.groups() if g.periods_schedule_id)
        if not counts:
            return []
        schedule_id = counts.most_common(1)[0][0]

        async def load() -> list[Period]:
            path = PERIOD_SCHEDULES.format(schedule_id)
            answer = await self.client.get(path, api=Api.TEACHER, name="attestation_periods_schedules")
            if not isinstance(answer, dict) or not isinstance(answer.get("periods"), list):
                raise IncompleteAnswer("МЭШ attestation_periods_schedules: no periods in the answer")
            periods = mapped(answer["periods"], "attestation_periods", self.problems, _period)
            return sorted(periods, key=lambda p: p.start)

        return list(await self.cache.get(("periods", schedule_id), load))
