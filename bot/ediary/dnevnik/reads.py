"""Reading records: lessons with bell times, homework hanging on lessons, and marks with the subject found
through their lesson or work. Reference data (work types, bell times, periods) is kept by the cache."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.ediary.dnevnik import mapping, records
from bot.ediary.dnevnik.cache import REFERENCE_TTL, TtlCache
from bot.ediary.dnevnik.client import DnevnikClient
from bot.ediary.dnevnik.directory import Directory
from bot.ediary.dnevnik.errors import DnevnikApiError
from bot.ediary.dnevnik.fields import Fields, SkipRecord
from bot.ediary.dnevnik.mapping import Bells, Group, IdTable, PeriodInfo, WorkType
from bot.ediary.dnevnik.records import LessonInfo, MarkFacts
from bot.ediary.model import Grade, Homework, Lesson

# Homework due in a window, and marks given in it, hang on lessons up to this much earlier [G: the API does
# not say whether a homework work belongs to the lesson that set it or the one it is due for].
LESSON_LOOKBACK = timedelta(days=14)


def path_from(day: date) -> str:
    return f"{day:%Y-%m-%d}T00:00:00"


def path_to(day: date) -> str:
    return f"{day:%Y-%m-%d}T23:59:59"


@dataclass
class LessonData:
    """What a set of lesson records gives: lessons in the window, homework due in it, and for marks every
    lesson and work seen (work id -> subject)."""

    lessons: list[Lesson] = field(default_factory=list)
    homework: dict[str, Homework] = field(default_factory=dict)
    infos: dict[str, LessonInfo] = field(default_factory=dict)
    works: dict[str, str] = field(default_factory=dict)

    def sorted_homework(self) -> list[Homework]:
        return sorted(self.homework.values(), key=lambda h: (h.due, h.subject, h.id))


class Reads:
    def __init__(
        self,
        client: DnevnikClient,
        cache: TtlCache,
        directory: Directory,
        fields: Callable[[str], Fields],
        school_id: str,
        today: Callable[[], date],
    ) -> None:
        self.client = client
        self.cache = cache
        self.directory = directory
        self.fields = fields
        self.school_id = school_id
        self.today = today

    # reference data
    async def work_types(self) -> IdTable[WorkType]:
        async def load() -> IdTable[WorkType]:
            f = self.fields("work-types/{s}")
            return mapping.work_types(f, await self.client.get(f"work-types/{self.school_id}", f.endpoint))

        return await self.cache.get("work-types", REFERENCE_TTL, load)

    async def bells(self, group: Group) -> Bells:
        async def load() -> Bells:
            f = self.fields("edu-groups/{g}/timetables")
            return mapping.bells(f, await self.client.get(f"edu-groups/{group.id}/timetables", f.endpoint))

        return await self.cache.get(("bells", group.id), REFERENCE_TTL, load)

    async def periods(self, group: Group) -> list[PeriodInfo]:
        async def load() -> list[PeriodInfo]:
            f = self.fields("edu-groups/{g}/reporting-periods")
            answer = await self.client.get(f"edu-groups/{group.id}/reporting-periods", f.endpoint)
            return mapping.period_infos(f, answer, self.today())

        return await self.cache.get(("periods", group.id), REFERENCE_TTL, load)

    # class level
    async def class_lessons_raw(self, group: Group, start: date, end: date) -> list[Any]:
        f = self.fields("edu-groups/{g}/lessons")
        answer = await self.client.get(f"edu-groups/{group.id}/lessons/{path_from(start)}/{path_to(end)}", f.endpoint)
        return f.answer_list(answer)

    async def class_marks_raw(self, group: Group, start: date, end: date) -> list[Any]:
        f = self.fields("edu-groups/{g}/marks")
        answer = await self.client.get(f"edu-groups/{group.id}/marks/{path_from(start)}/{path_to(end)}", f.endpoint)
        return f.answer_list(answer)

    async def lesson_data(
        self, group: Group, raw: list[Any], start: date, end: date, endpoint: str = "edu-groups/{g}/lessons"
    ) -> LessonData:
        f = self.fields(endpoint)
        bells, subjects = await asyncio.gather(self.bells(group), self.directory.subjects(group))
        data = LessonData()
        for record in f.each(raw, lambda r: r):
            info = f.one(record, lambda r: records.lesson_info(f, r, subjects))
            if info is None:
                continue
            data.infos[info.id] = info
            if start <= info.day <= end:
                with contextlib.suppress(SkipRecord):  # no bell time: logged once, lesson left out
                    data.lessons.append(records.lesson(f, info, group.name, bells))
            works = f.one(record, lambda r: f.objects(r, "works")) or []
            self.add_works(f, works, group, info.subject, subjects, start, end, data)
        data.lessons.sort(key=lambda lesson: (lesson.date, lesson.number, lesson.id))
        return data

    def add_works(
        self,
        f: Fields,
        works: Iterable[dict[str, Any]],
        group: Group,
        lesson_subject: str | None,
        subjects: IdTable[str],
        start: date,
        end: date,
        data: LessonData,
    ) -> None:
        """Works of a lesson (or of a schedule day): their subjects for marks, the homework due in the window."""
        for work in works:
            work_id = f.one(work, lambda w: f.req_id(w, "id"))
            subject = subjects.lookup(work, "subjectId") or lesson_subject
            if work_id is not None and subject is not None:
                data.works[work_id] = subject
            if records.is_homework(work):
                item = f.one(work, lambda w: records.homework(f, w, group.name, lesson_subject, subjects))
                if item is not None and start <= item.due <= end:
                    data.homework[item.id] = item

    # marks: the subject comes from the lesson, the work, or asking for that lesson / work
    async def grades(
        self,
        raw: list[Any],
        endpoint: str,
        data: LessonData,
        group: Group,
        start: date,
        end: date,
        student_id: str | None = None,
    ) -> list[Grade]:
        f = self.fields(endpoint)
        types = await self.work_types()
        facts = [
            m
            for m in f.each(raw, lambda r: records.mark_facts(f, r, types))
            if start <= m.day <= end and (student_id is None or m.student_id == student_id)
        ]
        grades = []
        for fact in facts:
            subject, teacher = await self._subject_of(fact, data, group)
            if subject is None:
                f.note("lesson", "leads to no subject (nor does the work); mark skipped")
                continue
            grades.append(fact.grade(subject, teacher))
        return sorted(grades, key=lambda g: (g.date, g.student_id, g.id))

    async def _subject_of(self, fact: MarkFacts, data: LessonData, group: Group) -> tuple[str | None, str | None]:
        if fact.lesson_id is not None and fact.lesson_id in data.infos:
            info = data.infos[fact.lesson_id]
            return info.subject, info.teacher_id
        if fact.work_id is not None and fact.work_id in data.works:
            return data.works[fact.work_id], None
        if fact.lesson_id is not None:
            found = await self._lesson(fact.lesson_id, group)
            if found is not None:
                return found.subject, found.teacher_id
        if fact.work_id is not None:
            return await self._work_subject(fact.work_id, group), None
        return None, None

    async def _lesson(self, lesson_id: str, group: Group) -> LessonInfo | None:
        async def load() -> LessonInfo | None:
            f = self.fields("lessons/{l}")
            try:
                answer = await self.client.get(f"lessons/{lesson_id}", f.endpoint)
            except DnevnikApiError:
                return None  # gone since: the mark is left out as unreadable
            subjects = await self.directory.subjects(group)
            return f.one(f.answer_dict(answer), lambda r: records.lesson_info(f, r, subjects))

        return await self.cache.get(("lesson", lesson_id), REFERENCE_TTL, load)

    async def _work_subject(self, work_id: str, group: Group) -> str | None:
        async def load() -> str | None:
            f = self.fields("works/{w}")
            try:
                answer = f.answer_dict(await self.client.get(f"works/{work_id}", f.endpoint))
            except DnevnikApiError:
                return None
            return (await self.directory.subjects(group)).lookup(answer, "subjectId")

        return await self.cache.get(("work", work_id), REFERENCE_TTL, load)
