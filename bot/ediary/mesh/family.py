"""Per-student mode: a parent's (or pupil's) token reads only its own children, through the family API and the
event calendar. Class-level record reads raise NotSupported (capabilities.class_reads is False); the bot reads
each followed child with `student_schedule`: one event-calendar request per child and poll (lessons with their
homework and the child's marks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.ediary.mesh.client import Api
from bot.ediary.mesh.fields import BadRecord, day, ident, mapped, maybe, payload, text
from bot.ediary.mesh.mapping import EventParts, event, family_mark, number_lessons, person, representatives, student
from bot.ediary.mesh.provider import MeshBase
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
    parse_grade_value,
)
from bot.ediary.provider import IncompleteAnswer

PROFILE = "/api/family/mobile/v1/profile"
SUBJECTS = "/api/family/mobile/v1/subjects/list"
MARKS = "/api/family/mobile/v1/marks"
SUBJECT_MARKS = "/api/family/mobile/v1/subject_marks"
EVENTS = "/api/eventcalendar/v1/api/events"
EVENT_EXPAND = "marks,homework,absence_reason_id,health_status,nonattendance_reason_id"


@dataclass(frozen=True, slots=True)
class Child:
    student: Student
    parents: tuple[Person, ...]
    guid: str  # contingent_guid: the person id the event calendar wants


@dataclass(frozen=True, slots=True)
class Family:
    owner: Person | None
    children: tuple[Child, ...]


def _child(record: dict) -> Child:
    school = maybe(record, "school", dict) or {}
    school_name = next((school[k] for k in ("short_name", "name") if isinstance(school.get(k), str)), "")
    return Child(
        student(record, text(record, "class_name"), school_name),
        tuple(representatives(record)),
        text(record, "contingent_guid"),
    )


def _final_value(value: object) -> str | None:
    """A period or year mark ("5", 4); averages such as "4.67" are not marks [G: `value` may be either]."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    try:
        parse_grade_value(str(value))
    except ValueError:
        return None
    return str(value).strip()


class FamilyProvider(MeshBase):
    mode = Mode.PER_STUDENT

    async def family(self) -> Family:
        async def load() -> Family:
            answer = await self.client.get(PROFILE, api=Api.FAMILY, name="family profile")
            if not isinstance(answer, dict) or not isinstance(answer.get("children"), list):
                raise IncompleteAnswer("МЭШ family profile: no children in the answer")
            owner_role = Role.STUDENT if self.session.profile.kind == "student" else Role.PARENT
            owners = mapped([answer.get("profile")], "family profile", self.problems, lambda r: person(r, owner_role))
            children = mapped(answer["children"], "family profile children", self.problems, _child)
            return Family(owners[0] if owners else None, tuple(children))

        return await self.cache.get(("family",), load)

    async def child(self, student_id: str) -> Child | None:
        return next((c for c in (await self.family()).children if c.student.id == student_id), None)

    async def _people(self) -> dict[str, Person]:
        family = await self.family()
        people = {c.student.id: c.student.person for c in family.children}
        people.update({p.id: p for c in family.children for p in c.parents})
        if family.owner is not None:
            people.setdefault(family.owner.id, family.owner)
        return people

    # people and relations: the family only (the family API names no teachers)
    async def get_person(self, person_id: str) -> Person | None:
        return (await self._people()).get(person_id)

    async def get_student(self, student_id: str) -> Student | None:
        child = await self.child(student_id)
        return child.student if child else None

    async def get_teacher(self, teacher_id: str) -> Teacher | None:
        return None

    async def list_people(self, class_name: str | None = None, role: Role | None = None) -> list[Person]:
        family = await self.family()
        if class_name is None:
            people = list((await self._people()).values())
        else:
            children = [c for c in family.children if c.student.class_name == class_name]
            people = list({p.id: p for c in children for p in (c.student.person, *c.parents)}.values())
        order = {Role.STUDENT: 0, Role.PARENT: 1, Role.TEACHER: 2}
        return sorted((p for p in people if role is None or p.role == role), key=lambda p: (order[p.role], p.id))

    async def list_classes(self) -> list[str]:
        return sorted({c.student.class_name for c in (await self.family()).children})

    async def class_students(self, class_name: str) -> list[Student]:
        """Only the children this token sees: the family API has no class lists."""
        children = [c.student for c in (await self.family()).children if c.student.class_name == class_name]
        return sorted(children, key=lambda s: s.person.full_name)

    async def children_of(self, parent_id: str) -> list[Student]:
        family = await self.family()
        owner = family.owner is not None and family.owner.id == parent_id and family.owner.role == Role.PARENT
        return [c.student for c in family.children if owner or any(p.id == parent_id for p in c.parents)]

    async def parents_of(self, student_id: str) -> list[Person]:
        child = await self.child(student_id)
        return list(child.parents) if child else []

    async def class_teachers(self, class_name: str) -> list[Teacher]:
        return []

    async def class_subjects(self, class_name: str) -> list[Subject]:
        child = next((c for c in (await self.family()).children if c.student.class_name == class_name), None)
        if child is None:
            return []

        async def load() -> list[Subject]:
            answer = await self.client.get(
                SUBJECTS, api=Api.FAMILY, name="subjects", params={"student_id": child.student.id}
            )
            subjects = mapped(
                payload(answer, "subjects"),
                "subjects",
                self.problems,
                lambda r: Subject(ident(r, "subject_id"), text(r, "subject_name")),
            )
            return sorted(subjects, key=lambda s: s.name)

        return list(await self.cache.get(("subjects", child.student.id), load))

    async def periods(self) -> list[Period]:
        family = await self.family()
        if not family.children:
            return []
        periods, _ = await self._subject_marks(family.children[0].student.id)
        return list(periods)

    # records
    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        if await self.child(student_id) is None:
            return []
        params = {"student_id": student_id, "from": start.isoformat(), "to": end.isoformat()}
        answer = await self.client.get(MARKS, api=Api.FAMILY, name="marks", params=params)
        grades = mapped(payload(answer, "marks"), "marks", self.problems, lambda r: family_mark(r, student_id))
        return sorted((g for g in grades if start <= g.date <= end), key=lambda g: (g.date, g.id))

    async def final_marks(self, student_id: str) -> list[FinalMark]:
        if await self.child(student_id) is None:
            return []
        _, finals = await self._subject_marks(student_id)
        return list(finals)

    async def class_grades(self, class_name: str, start: date, end: date) -> list[Grade]:
        raise self._class_reads_only("class_grades")

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        raise self._class_reads_only("class_lessons")

    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        raise self._class_reads_only("teacher_lessons")

    async def class_homework(self, class_name: str, start: date, end: date) -> list[Homework]:
        raise self._class_reads_only("class_homework")

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        raise self._class_reads_only("class_schedule")

    async def student_schedule(self, student_id: str, start: date, end: date) -> ClassSchedule:
        child = await self.child(student_id)
        if child is None:
            return ClassSchedule("", start, end, (), (), ())
        params = {
            "person_ids": child.guid,
            "begin_date": start.isoformat(),
            "end_date": end.isoformat(),
            "expand": EVENT_EXPAND,
        }
        answer = await self.client.get(EVENTS, api=Api.EVENTS, name="events", params=params)
        class_name = child.student.class_name
        parts: list[EventParts] = mapped(
            _event_list(answer), "events", self.problems, lambda r: event(r, class_name, student_id, self.tz)
        )
        lessons = [p.lesson for p in parts if start <= p.lesson.date <= end]
        homework = {hw.id: hw for p in parts for hw in p.homework if start <= hw.due <= end}
        grades = {g.id: g for p in parts for g in p.grades if start <= g.date <= end}
        return ClassSchedule(
            class_name,
            start,
            end,
            tuple(number_lessons(lessons)),
            tuple(sorted(homework.values(), key=lambda hw: (hw.due, hw.subject, hw.id))),
            tuple(sorted(grades.values(), key=lambda g: (g.date, g.id))),
        )

    async def _subject_marks(self, student_id: str) -> tuple[tuple[Period, ...], tuple[FinalMark, ...]]:
        """Attestation periods and the period and year marks, from `subject_marks` (cached)."""

        async def load() -> tuple[tuple[Period, ...], tuple[FinalMark, ...]]:
            params = {"student_id": student_id}
            answer = await self.client.get(SUBJECT_MARKS, api=Api.FAMILY, name="subject_marks", params=params)

            def subject(record: dict) -> tuple[list[Period], list[FinalMark]]:
                name = text(record, "subject_name")
                periods, finals = [], []
                for entry in maybe(record, "periods", list) or []:
                    if not isinstance(entry, dict):
                        raise BadRecord("periods", "not objects")
                    start, end = day(entry, "start_iso"), day(entry, "end_iso")
                    period = Period(f"{start.isoformat()}/{end.isoformat()}", text(entry, "title"), start, end)
                    periods.append(period)
                    value = _final_value(entry.get("value"))
                    if value is not None:
                        finals.append(FinalMark(student_id, name, period.id, value))
                year = _final_value(record.get("year_mark"))
                if year is not None:
                    finals.append(FinalMark(student_id, name, "year", year))
                return periods, finals

            subjects = mapped(payload(answer, "subject_marks"), "subject_marks", self.problems, subject)
            periods = {p.id: p for ps, _ in subjects for p in ps}
            finals = tuple(f for _, fs in subjects for f in fs)
            return tuple(sorted(periods.values(), key=lambda p: p.start)), finals

        return await self.cache.get(("subject_marks", student_id), load)


def _event_list(answer: object) -> list:
    """`{total_count, response: [...], errors}`: a count that does not match, or errors, is a partial answer."""
    if not isinstance(answer, dict) or not isinstance(answer.get("response"), list):
        raise IncompleteAnswer("МЭШ events: no response list in the answer")
    events = answer["response"]
    if answer.get("errors"):
        raise IncompleteAnswer("МЭШ events: the answer carries errors")
    total = answer.get("total_count")
    if isinstance(total, int) and not isinstance(total, bool) and total != len(events):
        raise IncompleteAnswer(f"МЭШ events: {len(events)} of {total} events in the answer")
    return events
