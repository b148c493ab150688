"""The school's static data (people, classes, subjects, weekly template) as one in-memory object.

Built from school.py for seeding, written to the demo database, and read back from it when a provider
opens: the database file is the source of truth, this object is only a cache of what never changes.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from bot.ediary.demo import school
from bot.ediary.demo.timetable import Slot, build_template
from bot.ediary.model import Person, Role, Sex, Student, Subject, Teacher


class StudentClasses(dict[str, str]):
    """student id -> class id, with each class's students kept alongside (a class's roster is asked for at every
    poll: a scan of every student per class would not do in a school of thousands). Changes through item
    assignment and deletion keep both; tests change a loaded directory that way."""

    def __init__(self, pairs: dict[str, str]) -> None:
        super().__init__(pairs)
        self._members: dict[str, dict[str, None]] = {}
        for student_id, class_id in self.items():
            self._members.setdefault(class_id, {})[student_id] = None

    def __setitem__(self, student_id: str, class_id: str) -> None:
        if student_id in self:
            self._members[self[student_id]].pop(student_id, None)
        super().__setitem__(student_id, class_id)
        self._members.setdefault(class_id, {})[student_id] = None

    def __delitem__(self, student_id: str) -> None:
        self._members[self[student_id]].pop(student_id, None)
        super().__delitem__(student_id)

    def members(self, class_id: str | None) -> list[str]:
        """The class's students, in the order they were added (as a scan of the mapping would give them)."""
        return list(self._members.get(class_id or "", ()))


@dataclass
class Directory:
    school: str
    classes: dict[str, tuple[str, str]]  # class id -> (name, homeroom teacher id), in order
    subjects: dict[str, str]  # subject id -> name, in diary order
    people: dict[str, Person]
    student_class: dict[str, str]  # student id -> class id
    parents: dict[str, tuple[str, ...]]  # student id -> parent ids
    teaching: dict[tuple[str, str], str]  # (class id, subject id) -> teacher id
    teacher_room: dict[str, str]
    slots: list[Slot]
    work_types: dict[str, float]
    template: dict[tuple[str, int], list[Slot]] = field(init=False)  # (class id, weekday) -> slots
    children: dict[str, tuple[str, ...]] = field(init=False)  # parent id -> student ids
    # `teaching` never changes after seeding: each teacher's Teacher and each class's teachers, made once
    _teachers: dict[str, Teacher] = field(init=False, default_factory=dict, repr=False, compare=False)
    _class_teachers: dict[str, frozenset[str]] = field(init=False, default_factory=dict, repr=False, compare=False)
    # typed name (case-folded) or id -> class id, checked against `classes` when used
    _class_names: dict[str, str] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.student_class, StudentClasses):
            self.student_class = StudentClasses(self.student_class)
        self.template = {}
        for slot in sorted(self.slots, key=lambda s: (s.class_id, s.weekday, s.number)):
            self.template.setdefault((slot.class_id, slot.weekday), []).append(slot)
        children: dict[str, list[str]] = {}
        for student_id, parent_ids in self.parents.items():
            for parent_id in parent_ids:
                children.setdefault(parent_id, []).append(student_id)
        self.children = {p: tuple(sorted(ids)) for p, ids in children.items()}
        class_teachers: dict[str, set[str]] = {}
        for (class_id, _), teacher_id in self.teaching.items():
            class_teachers.setdefault(class_id, set()).add(teacher_id)
        self._class_teachers = {c: frozenset(ids) for c, ids in class_teachers.items()}

    # lookups by what an admin types: names are matched case-insensitively, ids work too
    def class_id(self, name: str) -> str | None:
        wanted = name.strip().casefold()
        found = self._class_names.get(wanted)
        if found is not None and found in self.classes and wanted in (found, self.classes[found][0].casefold()):
            return found
        names: dict[str, str] = {}  # not there (or changed since): index the classes again
        for cid, (cname, _) in self.classes.items():
            names.setdefault(cid, cid)
            names.setdefault(cname.casefold(), cid)
        self._class_names = names
        return names.get(wanted)

    def subject_id(self, name: str) -> str | None:
        wanted = name.strip().casefold()
        return next((sid for sid, sname in self.subjects.items() if wanted in (sid, sname.casefold())), None)

    def students_of(self, class_id: str | None) -> list[str]:
        """A class's student ids, in the directory's order."""
        if not isinstance(self.student_class, StudentClasses):  # replaced whole: index it again
            self.student_class = StudentClasses(self.student_class)
        return self.student_class.members(class_id)

    def class_name(self, class_id: str) -> str:
        return self.classes[class_id][0]

    def class_subject_ids(self, class_id: str) -> list[str]:
        return [sid for sid in self.subjects if (class_id, sid) in self.teaching]

    def student(self, student_id: str) -> Student | None:
        class_id = self.student_class.get(student_id)
        if class_id is None:
            return None
        return Student(self.people[student_id], self.class_name(class_id), self.school)

    def teachers_of(self, class_id: str) -> frozenset[str]:
        """Who teaches a subject in the class (the homeroom teacher may not)."""
        return self._class_teachers.get(class_id, frozenset())

    def teacher(self, teacher_id: str) -> Teacher | None:
        person = self.people.get(teacher_id)
        if person is None or person.role != Role.TEACHER:
            return None
        known = self._teachers.get(teacher_id)
        if known is None or known.person is not person:
            known = self._teachers[teacher_id] = self._make_teacher(person)
        return known

    def _make_teacher(self, person: Person) -> Teacher:
        teacher_id = person.id
        pairs = [(c, s) for (c, s), t in self.teaching.items() if t == teacher_id]
        subjects = tuple(self.subjects[s] for s in self.subjects if any(p[1] == s for p in pairs))
        classes = tuple(name for cid, (name, _) in self.classes.items() if any(p[0] == cid for p in pairs))
        homeroom = next((name for name, head in self.classes.values() if head == teacher_id), None)
        return Teacher(person, subjects, classes, homeroom)

    def known_student(self, student_id: str) -> Student:
        """A student id taken from the directory's own tables."""
        student = self.student(student_id)
        if student is None:
            raise KeyError(student_id)
        return student

    def known_teacher(self, teacher_id: str) -> Teacher:
        """A teacher id taken from the directory's own tables."""
        teacher = self.teacher(teacher_id)
        if teacher is None:
            raise KeyError(teacher_id)
        return teacher

    def subject(self, subject_id: str) -> Subject:
        return Subject(subject_id, self.subjects[subject_id])


def sex_from_patronymic(full_name: str) -> Sex | None:
    """'Белова Елена Викторовна' -> FEMALE, 'Кузнецов Андрей Николаевич' -> MALE (-вич/-ич, -вна/-чна);
    None without a patronymic. Russian patronymics always show the sex; names alone do not reliably."""
    parts = full_name.split()
    if len(parts) < 3:
        return None
    patronymic = parts[-1].lower()
    if patronymic.endswith("ич"):
        return Sex.MALE
    if patronymic.endswith(("вна", "чна")):
        return Sex.FEMALE
    return None


def build_directory() -> Directory:
    """The directory described by school.py, with ids given in a fixed order."""
    people: dict[str, Person] = {}
    teaching: dict[tuple[str, str], str] = {}
    teacher_room: dict[str, str] = {}
    homerooms: dict[str, str] = {}
    for index, (name, room, subjects, homeroom) in enumerate(school.TEACHERS, start=1):
        tid = f"t{index:02d}"
        people[tid] = Person(tid, name, Role.TEACHER, sex_from_patronymic(name))
        teacher_room[tid] = room
        for subject_id, class_ids in subjects.items():
            for class_id in class_ids:
                teaching[(class_id, subject_id)] = tid
        if homeroom:
            homerooms[homeroom] = tid

    student_class: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    class_order = [c[0] for c in school.CLASSES]
    children = [
        (class_order.index(cls), fam, first, sex, cls)
        for fam, (_, _, _, _, kids) in enumerate(school.FAMILIES)
        for first, sex, cls in kids
    ]
    family_kids: dict[int, list[str]] = {}
    for number, (_, fam, first, sex, cls) in enumerate(sorted(children, key=lambda c: c[:2]), start=1):
        surname, father, _, _, _ = school.FAMILIES[fam]
        patronymic = school.PATRONYMICS[father][0 if sex == "m" else 1]
        sid = f"s{number:02d}"
        name = f"{surname if sex == 'm' else surname + 'а'} {first} {patronymic}"
        people[sid] = Person(sid, name, Role.STUDENT, Sex.MALE if sex == "m" else Sex.FEMALE)
        student_class[sid] = cls
        family_kids.setdefault(fam, []).append(sid)

    parent_number = 0
    for fam, (surname, father, father_patronymic, mother, _) in enumerate(school.FAMILIES):
        ids = []
        for full_name, parent_sex in (
            (f"{surname} {father} {father_patronymic}" if father_patronymic else None, Sex.MALE),
            (f"{surname}а {mother}" if mother else None, Sex.FEMALE),
        ):
            if full_name:
                parent_number += 1
                pid = f"p{parent_number:02d}"
                people[pid] = Person(pid, full_name, Role.PARENT, parent_sex)
                ids.append(pid)
        for sid in family_kids[fam]:
            parents[sid] = tuple(ids)

    classes = {cid: (name, homerooms[cid]) for cid, name, _, _ in school.CLASSES}
    plan = [(cid, hours, days) for cid, _, hours, days in school.CLASSES]
    return Directory(
        school=school.SCHOOL_NAME,
        classes=classes,
        subjects=dict(school.SUBJECTS),
        people=people,
        student_class=student_class,
        parents=parents,
        teaching=teaching,
        teacher_room=teacher_room,
        slots=build_template(plan, teaching, teacher_room),
        work_types=dict(school.WORK_TYPES),
    )


def directory_rows(d: Directory) -> dict[str, list[tuple]]:
    """Rows per table, for executemany."""
    return {
        "classes": [(cid, name, head, i) for i, (cid, (name, head)) in enumerate(d.classes.items())],
        "subjects": [(sid, name, i) for i, (sid, name) in enumerate(d.subjects.items())],
        "people": [
            (p.id, p.full_name, p.role.value, d.student_class.get(p.id), d.teacher_room.get(p.id), _sex_value(p.sex))
            for p in d.people.values()
        ],
        "parent_child": [(pid, sid) for sid, pids in d.parents.items() for pid in pids],
        "teaching": [(c, s, t) for (c, s), t in d.teaching.items()],
        "timetable": [(s.class_id, s.weekday, s.number, s.subject_id, s.teacher_id, s.room) for s in d.slots],
        "work_types": list(d.work_types.items()),
    }


def _sex_value(sex: Sex | None) -> str | None:
    return sex.value if sex is not None else None


async def load_directory(conn: aiosqlite.Connection) -> Directory:
    """The directory from the file. Rows are read in batches, and the ids, names and rooms that recur across
    tables are kept once each (sys.intern): a big school's directory is most of the bot's memory."""

    async def rows(sql: str) -> AsyncIterator[tuple[Any, ...]]:
        async with conn.execute(sql) as cur:
            while batch := await cur.fetchmany(4096):
                for row in batch:
                    yield tuple(sys.intern(v) if isinstance(v, str) else v for v in row)

    async def each(sql: str) -> list[tuple[Any, ...]]:
        return [row async for row in rows(sql)]

    school_name = (await each("SELECT value FROM meta WHERE key = 'school'"))[0][0]
    people: dict[str, Person] = {}
    student_class: dict[str, str] = {}
    teacher_room: dict[str, str] = {}
    async for pid, name, role, cid, room, sex in rows(
        "SELECT id, full_name, role, class_id, room, sex FROM people ORDER BY id"
    ):
        people[pid] = Person(pid, name, Role(role), Sex(sex) if sex else None)
        if cid:
            student_class[pid] = cid
        if room:
            teacher_room[pid] = room
    parents: dict[str, tuple[str, ...]] = {}
    async for pid, sid in rows("SELECT parent_id, student_id FROM parent_child ORDER BY parent_id"):
        parents[sid] = (*parents.get(sid, ()), pid)
    return Directory(
        school=school_name,
        classes={
            cid: (name, head)
            for cid, name, head in await each("SELECT id, name, homeroom_id FROM classes ORDER BY position")
        },
        subjects=dict(await each("SELECT id, name FROM subjects ORDER BY position")),
        people=people,
        student_class=student_class,
        parents=parents,
        teaching={(c, s): t for c, s, t in await each("SELECT class_id, subject_id, teacher_id FROM teaching")},
        teacher_room=teacher_room,
        slots=[
            Slot(*r)
            for r in await each("SELECT class_id, weekday, number, subject_id, teacher_id, room FROM timetable")
        ],
        work_types=dict(await each("SELECT name, weight FROM work_types")),
    )
