"""DnevnikProvider: the EdiaryProvider of Дневник.ру's partner API v2 (see the package docstring)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.dnevnik import mapping, records
from bot.ediary.dnevnik.cache import REFERENCE_TTL, TtlCache
from bot.ediary.dnevnik.client import DnevnikClient, RetryPolicy
from bot.ediary.dnevnik.directory import Directory
from bot.ediary.dnevnik.errors import DnevnikApiError
from bot.ediary.dnevnik.fields import Fields
from bot.ediary.dnevnik.mapping import IdTable, Member
from bot.ediary.dnevnik.reads import LESSON_LOOKBACK, LessonData, Reads, path_from, path_to
from bot.ediary.dnevnik.tokens import token_source
from bot.ediary.model import (
    AuthStatus,
    Capabilities,
    ClassSchedule,
    EdiaryMessage,
    FinalMark,
    Grade,
    Homework,
    Lesson,
    Period,
    Person,
    Role,
    Student,
    Subject,
    Teacher,
)
from bot.ediary.provider import IncompleteAnswer, NotSupported

FINAL_MARKS_TTL = timedelta(minutes=5)
RECENT_MARKS_PAGE = 100  # the API's maximum `limit`
MAX_PAGES = 50
ROLE_ORDER = {Role.STUDENT: 0, Role.PARENT: 1, Role.TEACHER: 2}


class DnevnikProvider:
    name = "dnevnik"

    def __init__(self, client: DnevnikClient, clock: Clock, school_id: str) -> None:
        self.client = client
        self.clock = clock
        self.school_id = school_id
        self.cache = TtlCache(clock)
        self._logged: set[tuple[str, str]] = set()
        self.directory = Directory(client, self.cache, self.fields, school_id)
        self.reads = Reads(client, self.cache, self.directory, self.fields, school_id, clock.today)

    def fields(self, endpoint: str) -> Fields:
        return Fields(endpoint, self.clock.tz, self._logged)

    @property
    def capabilities(self) -> Capabilities:
        # v2 has no substitution flag and no messaging; a partner or staff token reads whole classes
        return Capabilities(
            substitutions=False, messaging=False, final_marks=True, class_reads=True, schedule_reads=True
        )  # one class_schedule is 2 requests, the three separate reads 4 (see the package docstring)

    def auth_status(self) -> AuthStatus:
        return self.client.tokens.status()

    async def close(self) -> None:
        await self.client.aclose()

    # people
    async def get_person(self, person_id: str) -> Person | None:
        teacher = (await self.directory.teachers()).get(person_id)
        if teacher is not None:
            return teacher.person
        members = await self.directory.members()
        if person_id in members:
            return members[person_id].person
        families = await self.directory.families(list(members.values()))
        return families[person_id][0] if person_id in families else None

    async def get_student(self, student_id: str) -> Student | None:
        found = await self.directory.member(student_id)
        return None if found is None else await self._student(found)

    async def get_teacher(self, teacher_id: str) -> Teacher | None:
        return await self.directory.teacher(teacher_id)

    async def list_people(self, class_name: str | None = None, role: Role | None = None) -> list[Person]:
        people: dict[str, Person] = {}
        if class_name is None:
            members = list((await self.directory.members()).values())
            teachers = [t.person for t in (await self.directory.teachers()).values()]
        else:
            group = await self.directory.find_class(class_name)
            if group is None:
                return []
            members = await self.directory.roster(group)
            teachers = [t.person for t in await self.directory.class_teachers(group)]
        if role in (None, Role.STUDENT):
            people.update((m.person.id, m.person) for m in members)
        if role in (None, Role.PARENT):
            people.update((pid, parent) for pid, (parent, _) in (await self.directory.families(members)).items())
        if role in (None, Role.TEACHER):
            people.update((t.id, t) for t in teachers)
        return sorted(people.values(), key=lambda p: (ROLE_ORDER[p.role], p.id))

    async def list_classes(self) -> list[str]:
        return [g.name for g in await self.directory.classes()]

    async def class_students(self, class_name: str) -> list[Student]:
        group = await self.directory.find_class(class_name)
        return [] if group is None else [await self._student(m) for m in await self.directory.roster(group)]

    async def children_of(self, parent_id: str) -> list[Student]:
        families = await self.directory.families(list((await self.directory.members()).values()))
        children = families.get(parent_id, (None, []))[1]
        return [await self._student(m) for m in children]

    async def parents_of(self, student_id: str) -> list[Person]:
        found = await self.directory.member(student_id)
        return [] if found is None else await self.directory.parents(found)

    async def class_teachers(self, class_name: str) -> list[Teacher]:
        group = await self.directory.find_class(class_name)
        return [] if group is None else await self.directory.class_teachers(group)

    async def class_subjects(self, class_name: str) -> list[Subject]:
        group = await self.directory.find_class(class_name)
        return [] if group is None else await self.directory.class_subjects(group)

    async def _student(self, found: Member) -> Student:
        return Student(found.person, found.group.name, await self.school_name())

    async def school_name(self) -> str:
        """From `users/me/context`, else `schools/{s}`; empty when neither names it."""

        async def load() -> str:
            f = self.fields("users/me/context")
            for school_id, name in mapping.context_schools(f, await self.client.get("users/me/context", f.endpoint)):
                if school_id == self.school_id:
                    return name
            f = self.fields("schools/{s}")
            try:
                answer = await self.client.get(f"schools/{self.school_id}", f.endpoint)
            except DnevnikApiError:
                return ""
            return f.one(answer, lambda r: f.req_text(r, "name")) or ""

        return await self.cache.get("school-name", REFERENCE_TTL, load)

    # school year
    async def periods(self) -> list[Period]:
        classes = await self.directory.classes()
        return [] if not classes else [p.period for p in await self.reads.periods(classes[0])]

    # records: class level (class_schedule is what a poll needs: two requests, see the package docstring)
    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        group = await self.directory.find_class(class_name)
        if group is None:
            return ClassSchedule(class_name, start, end, (), (), ())
        raw_lessons, raw_marks = await asyncio.gather(
            self.reads.class_lessons_raw(group, start - LESSON_LOOKBACK, end),
            self.reads.class_marks_raw(group, start, end),
        )
        data = await self.reads.lesson_data(group, raw_lessons, start, end)
        grades = await self.reads.grades(raw_marks, "edu-groups/{g}/marks", data, group, start, end)
        return ClassSchedule(group.name, start, end, tuple(data.lessons), tuple(data.sorted_homework()), tuple(grades))

    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        return list((await self.class_schedule(class_name, start, end)).grades)

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        group = await self.directory.find_class(class_name)
        if group is None:
            return []
        raw = await self.reads.class_lessons_raw(group, start, end)
        return (await self.reads.lesson_data(group, raw, start, end)).lessons

    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        group = await self.directory.find_class(class_name)
        if group is None:
            return []
        raw = await self.reads.class_lessons_raw(group, start - LESSON_LOOKBACK, end)
        return (await self.reads.lesson_data(group, raw, start, end)).sorted_homework()

    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        """Lessons in every class whose teacher list (`edu-groups/{g}/teachers`) names this teacher."""
        classes = (await self.directory.teaching()).get(teacher_id, [])
        per_class = await asyncio.gather(*(self.class_lessons(c, start, end) for c in classes))
        mine = [lesson for lessons in per_class for lesson in lessons if lesson.teacher_id == teacher_id]
        return sorted(mine, key=lambda lesson: (lesson.date, lesson.number, lesson.class_name))

    # records: one student
    async def student_schedule(self, student_id: str, start: date, end: date) -> ClassSchedule:
        """One request: `persons/{p}/groups/{g}/schedules` (days of lessons, marks, works, homeworks, subjects)."""
        found = await self.directory.member(student_id)
        if found is None:
            return ClassSchedule("", start, end, (), (), ())
        group = found.group
        f = self.fields("persons/{p}/groups/{g}/schedules")
        params = {"startDate": path_from(start - LESSON_LOOKBACK), "endDate": path_to(end)}
        answer = await self.client.get(f"persons/{student_id}/groups/{group.id}/schedules", f.endpoint, params)
        subjects = IdTable((await self.directory.subjects(group)).by_id.items())
        raw_lessons: list[dict[str, Any]] = []
        marks: list[dict[str, Any]] = []
        day_works: list[dict[str, Any]] = []
        for day in f.each(f.answer_list(answer, "days"), lambda d: d):
            subjects.by_id.update(mapping.subjects(f, f.one(day, lambda d: f.objects(d, "subjects")) or []).by_id)
            raw_lessons += [
                {"date": day.get("date"), **lesson} for lesson in f.one(day, lambda d: f.objects(d, "lessons")) or []
            ]
            marks += f.one(day, lambda d: f.objects(d, "marks")) or []
            day_works += f.one(day, lambda d: f.objects(d, "works") + f.objects(d, "homeworks")) or []
        data = await self.reads.lesson_data(group, raw_lessons, start, end, f.endpoint)
        self.reads.add_works(f, day_works, group, None, subjects, start, end, data)
        grades = await self.reads.grades(marks, f.endpoint, data, group, start, end, student_id)
        return ClassSchedule(group.name, start, end, tuple(data.lessons), tuple(data.sorted_homework()), tuple(grades))

    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        """`persons/{p}/group/{g}/recentmarks`: newest first [G], paged back by `fromDate` until before `start`."""
        found = await self.directory.member(student_id)
        if found is None:
            return []
        f = self.fields("persons/{p}/group/{g}/recentmarks")
        path = f"persons/{student_id}/group/{found.group.id}/recentmarks"
        marks: dict[str, dict[str, Any]] = {}
        extras: dict[str, list[Any]] = {"works": [], "lessons": [], "subjects": []}
        from_date = path_to(end)
        for _ in range(MAX_PAGES):
            answer = f.answer_dict(
                await self.client.get(path, f.endpoint, {"fromDate": from_date, "limit": str(RECENT_MARKS_PAGE)})
            )
            page = f.answer_list(answer, "marks")
            for key, items in extras.items():
                items += f.answer_list(answer.get(key, []))
            dated = list(f.each(page, lambda r: (f.req_id(r, "id"), f.moment(r, "date"), r)))
            added = [mark_id for mark_id, _, _ in dated if mark_id not in marks]
            marks.update((mark_id, record) for mark_id, _, record in dated)
            oldest = min((moment for _, moment, _ in dated if moment is not None), default=None)
            if len(page) < RECENT_MARKS_PAGE or oldest is None or oldest.date() < start:
                break
            if not added:
                raise IncompleteAnswer("Дневник.ру recentmarks: paging does not advance")
            from_date = oldest.isoformat()
        else:
            raise IncompleteAnswer(f"Дневник.ру recentmarks: more than {MAX_PAGES} pages")
        subjects = IdTable((await self.directory.subjects(found.group)).by_id.items())
        subjects.by_id.update(mapping.subjects(f, extras["subjects"]).by_id)
        data = LessonData(
            infos={i.id: i for i in f.each(extras["lessons"], lambda r: records.lesson_info(f, r, subjects))}
        )
        self.reads.add_works(f, extras["works"], found.group, None, subjects, date.max, date.min, data)
        return await self.reads.grades(list(marks.values()), f.endpoint, data, found.group, start, end, student_id)

    async def final_marks(self, student_id: str) -> list[FinalMark]:
        found = await self.directory.member(student_id)
        if found is None:
            return []
        group = found.group

        async def load() -> Any:
            return await self.client.get(f"edu-groups/{group.id}/final-marks", "edu-groups/{g}/final-marks")

        answer = await self.cache.get(("final-marks", group.id), FINAL_MARKS_TTL, load)
        periods = await self.reads.periods(group)
        return records.final_marks(self.fields("edu-groups/{g}/final-marks"), answer, student_id, periods)

    async def send_message(self, sender_id: str, recipient_id: str, student_id: str | None, text: str) -> EdiaryMessage:
        raise NotSupported("Дневник.ру's partner API has no messaging")


async def open_provider(
    settings: Settings, clock: Clock, *, login_url: str | None = None, policy: RetryPolicy | None = None
) -> DnevnikProvider:
    tokens = token_source(settings, clock, login_url)
    client = DnevnikClient(
        settings.dnevnik_api_url, tokens, max_concurrency=settings.dnevnik_max_concurrency, policy=policy
    )
    try:
        school_id = settings.dnevnik_school_id or await the_only_school(client, clock)
    except BaseException:
        await client.aclose()
        raise
    return DnevnikProvider(client, clock, school_id.strip())


async def the_only_school(client: DnevnikClient, clock: Clock) -> str:
    """DNEVNIK_SCHOOL_ID may stay unset when the token sees exactly one school."""
    f = Fields("users/me/context", clock.tz, set())
    schools = mapping.context_schools(f, await client.get("users/me/context", f.endpoint))
    if len(schools) == 1:
        return schools[0][0]
    if not schools:
        raise SettingsError("DNEVNIK_SCHOOL_ID is not set and the Дневник.ру token sees no school")
    listed = ", ".join(f"{school_id} ({name})" for school_id, name in schools)
    raise SettingsError(f"DNEVNIK_SCHOOL_ID is not set and the token sees {len(schools)} schools: {listed}")
