"""School mode: a staff profile's token reads the teacher API class by class (capabilities.class_reads).

Per class and poll: one schedule_items request (lessons), one marks request (grades) and one homeworks request
(homework), each followed page by page; groups, pupils, teachers and periods come from the cached directory."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from bot.ediary.mesh.client import Api
from bot.ediary.mesh.fields import mapped
from bot.ediary.mesh.mapping import number_lessons, schedule_item, teacher_homework, teacher_mark
from bot.ediary.mesh.school_directory import SchoolDirectory, Staff, class_sort_key
from bot.ediary.mesh.session import Mode
from bot.ediary.model import (
    ClassSchedule,
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

SCHEDULE_ITEMS = "/api/ej/plan/teacher/v1/schedule_items"
MARKS = "/api/ej/core/teacher/v1/marks"
HOMEWORKS = "/api/ej/core/teacher/v1/homeworks"
ROLE_ORDER = {Role.STUDENT: 0, Role.PARENT: 1, Role.TEACHER: 2}


def ru_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")  # the core teacher API's date filters are dd.mm.yyyy [C]


@dataclass(frozen=True, slots=True)
class _Slot:
    lesson: Lesson
    group_id: str | None


class SchoolProvider(SchoolDirectory):
    mode = Mode.SCHOOL

    # people and relations
    async def get_person(self, person_id: str) -> Person | None:
        for member in await self.staff():
            if member.person.id == person_id:
                return member.person
        for pupil in await self.everyone():
            if pupil.student.id == person_id:
                return pupil.student.person
            for parent in pupil.parents:
                if parent.id == person_id:
                    return parent
        return None

    async def get_student(self, student_id: str) -> Student | None:
        pupil = await self.pupil(student_id)
        return pupil.student if pupil else None

    async def get_teacher(self, teacher_id: str) -> Teacher | None:
        member = next((m for m in await self.staff() if m.person.id == teacher_id), None)
        return await self._teacher(member) if member else None

    async def list_people(self, class_name: str | None = None, role: Role | None = None) -> list[Person]:
        pupils = list(await self.roster(class_name)) if class_name is not None else await self.everyone()
        people = {p.student.id: p.student.person for p in pupils}
        people.update({parent.id: parent for p in pupils for parent in p.parents})
        if class_name is None:
            people.update({m.person.id: m.person for m in await self.staff()})
        else:
            people.update({t.id: t.person for t in await self.class_teachers(class_name)})
        chosen = [p for p in people.values() if role is None or p.role == role]
        return sorted(chosen, key=lambda p: (ROLE_ORDER[p.role], p.id))

    async def list_classes(self) -> list[str]:
        return sorted(await self.class_ids(), key=class_sort_key)

    async def class_students(self, class_name: str) -> list[Student]:
        return sorted((p.student for p in await self.roster(class_name)), key=lambda s: s.person.full_name)

    async def children_of(self, parent_id: str) -> list[Student]:
        return [p.student for p in await self.everyone() if any(parent.id == parent_id for parent in p.parents)]

    async def parents_of(self, student_id: str) -> list[Person]:
        pupil = await self.pupil(student_id)
        return list(pupil.parents) if pupil else []

    async def class_teachers(self, class_name: str) -> list[Teacher]:
        class_id = (await self.class_ids()).get(class_name)
        if class_id is None:
            return []
        group_ids = {g.id for g in await self.class_groups(class_name)}
        members = [m for m in await self.staff() if m.group_ids & group_ids or class_id in m.homeroom_class_ids]
        members.sort(key=lambda m: (class_id not in m.homeroom_class_ids, m.person.full_name))
        return [await self._teacher(m) for m in members]

    async def class_subjects(self, class_name: str) -> list[Subject]:
        subjects = {g.subject_id: g.subject for g in await self.class_groups(class_name)}
        return sorted((Subject(i, name) for i, name in subjects.items()), key=lambda s: s.name)

    async def periods(self) -> list[Period]:
        return await self.school_periods()

    # records
    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        pupil = await self.pupil(student_id)
        if pupil is None:
            return []
        return [g for g in await self.class_grades(pupil.student.class_name, start, end) if g.student_id == student_id]

    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        groups = await self.class_groups(class_name)
        if not groups:
            return []
        params = {
            "group_ids": ",".join(g.id for g in groups),
            # marks are filtered by when they were entered: a lesson's mark is entered on or after its day
            "created_at_from": ru_date(start),
            "created_at_to": ru_date(max(end, self.clock.today())),
            "with_non_numeric_entries": "true",
        }
        raw = await self.client.get_pages(MARKS, api=Api.TEACHER, name="marks", params=params)
        subjects = {g.subject_id: g.subject for g in groups}
        grades = mapped(raw, "marks", self.problems, lambda r: teacher_mark(r, subjects))
        return sorted((g for g in grades if start <= g.date <= end), key=lambda g: (g.date, g.student_id, g.id))

    async def final_marks(self, student_id: str) -> list[FinalMark]:
        pupil = await self.pupil(student_id)
        if pupil is None:
            return []
        subjects = await self.subject_names()
        marks = []
        for final in pupil.finals:
            value = final.get("manual_value") or final.get("value")
            subject = subjects.get(str(final.get("subject_id")))
            period = "year" if final.get("is_year_mark") else final.get("attestation_period_id")
            if final.get("no_mark") or subject is None or period is None or not isinstance(value, (str, int)):
                continue
            marks.append(FinalMark(student_id, subject, str(period), str(value)))
        return marks

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        return [slot.lesson for slot in await self._class_slots(class_name, start, end)]

    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        """The teacher's own lessons (cancelled ones included) and those they cover; lessons handed to a
        substitute are the substitute's. Numbered within each class's whole day, so one request per class."""
        slots = await self._slots({"teacher_id": teacher_id}, start, end)
        classes = sorted({s.lesson.class_name for s in slots}, key=class_sort_key)
        days = await asyncio.gather(*(self._class_slots(c, start, end) for c in classes))
        lessons = [s.lesson for day in days for s in day if s.lesson.teacher_id == teacher_id]
        return sorted(lessons, key=lambda lesson: (lesson.date, lesson.start, lesson.class_name))

    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        return [hw for hw, _ in await self._homework(class_name, start, end)]

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        slots, homework, grades = await asyncio.gather(
            self._class_slots(class_name, start, end),
            self._homework(class_name, start, end),
            self.class_grades(class_name, start, end),
        )
        lessons = tuple(s.lesson for s in slots)
        return ClassSchedule(class_name, start, end, lessons, tuple(hw for hw, _ in homework), tuple(grades))

    async def student_schedule(self, student_id: str, start: date, end: date) -> ClassSchedule:
        pupil = await self.pupil(student_id)
        if pupil is None:
            return ClassSchedule("", start, end, (), (), ())
        class_name = pupil.student.class_name
        slots, homework, grades = await asyncio.gather(
            self._class_slots(class_name, start, end),
            self._homework(class_name, start, end),
            self.class_grades(class_name, start, end),
        )
        mine = pupil.group_ids

        def theirs(group_id: str | None) -> bool:
            return mine is None or group_id is None or group_id in mine

        return ClassSchedule(
            class_name,
            start,
            end,
            tuple(s.lesson for s in slots if theirs(s.group_id)),
            tuple(hw for hw, group_id in homework if theirs(group_id)),
            tuple(g for g in grades if g.student_id == student_id),
        )

    # helpers
    async def _teacher(self, member: Staff) -> Teacher:
        groups = {g.id: g for g in await self.groups()}
        names = {g.class_id: g.class_name for g in groups.values()}
        own = [groups[i] for i in member.group_ids if i in groups]
        homeroom = sorted((names[c] for c in member.homeroom_class_ids if c in names), key=class_sort_key)
        return Teacher(
            member.person,
            tuple(sorted({g.subject for g in own})),
            tuple(sorted({g.class_name for g in own} | set(homeroom), key=class_sort_key)),
            homeroom[0] if homeroom else None,
        )

    async def _class_slots(self, class_name: str, start: date, end: date) -> list[_Slot]:
        class_id = (await self.class_ids()).get(class_name)
        return [] if class_id is None else await self._slots({"class_unit_id": class_id}, start, end)

    async def _slots(self, who: dict[str, str], start: date, end: date) -> list[_Slot]:
        params = {
            "academic_year_id": (await self.year()).id,
            **who,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "with_group_class_subject_info": "true",
            "with_lesson_info": "true",
            "with_rooms_info": "true",
            "with_course_calendar_info": "true",
        }
        raw = await self.client.get_pages(SCHEDULE_ITEMS, api=Api.PLAN, name="schedule_items", params=params)
        names = {g.class_id: g.class_name for g in await self.groups()}

        lessons = mapped(raw, "schedule_items", self.problems, lambda r: schedule_item(r, names, self.tz))
        lessons = [x for x in lessons if start <= x.date <= end]
        groups = {x.id: x.group for x in lessons}  # numbering keeps a group only where subgroups share a slot
        return [_Slot(lesson, groups[lesson.id]) for lesson in number_lessons(lessons)]

    async def _homework(self, class_name: str, start: date, end: date) -> list[tuple[Homework, str]]:
        groups = await self.class_groups(class_name)
        if not groups:
            return []
        params = {
            "group_ids": ",".join(g.id for g in groups),
            "date_prepared_for_from": ru_date(start),
            "date_prepared_for_to": ru_date(end),
            "with_entries": "true",
        }
        raw = await self.client.get_pages(HOMEWORKS, api=Api.TEACHER, name="homeworks", params=params)
        class_of_group = {g.id: class_name for g in groups}
        subjects = {g.subject_id: g.subject for g in groups}

        def task(record: dict) -> tuple[Homework, str]:
            return teacher_homework(record, class_of_group, subjects), str(record.get("group_id"))

        tasks = mapped(raw, "homeworks", self.problems, task)
        return sorted(
            ((hw, group) for hw, group in tasks if start <= hw.due <= end), key=lambda t: (t[0].due, t[0].subject)
        )
