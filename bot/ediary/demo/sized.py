"""A demo school of any size (`ediary-bot demo init --classes N --students-per-class M`), for benchmarks and for a
school's own load test. Deterministic: the same size gives the same people, classes and timetable.

Classes are taken in groups of GROUP_SIZE that share one curriculum (one of the default school's, in turn) and
one teacher per subject. The first class of a group gets a timetable built as the default school's is; the
others take the same day's subjects rotated by their place in the group, so no teacher of the group is ever in
two classes at once (a day has at least GROUP_SIZE lessons). Every student has a family of its own: both
parents, or only the mother or only the father. Ids are numbered with as many digits as the count needs
(s0001.., p0001.., t001..); class ids are c001...
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.ediary.demo import school
from bot.ediary.demo.directory import Directory
from bot.ediary.demo.schema import connect
from bot.ediary.demo.seed import open_school
from bot.ediary.demo.timetable import Slot, build_template
from bot.ediary.model import Person, Role, Sex

GROUP_SIZE = 4  # classes sharing teachers; at most the fewest lessons of a day (5)
MAX_CLASSES = 2000
MAX_STUDENTS_PER_CLASS = 60
LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"
PARALLELS = range(1, 12)

# surnames that take "-а" in the feminine form, as the default school's do
SURNAMES = (
    "Иванов", "Петров", "Сидоров", "Козлов", "Новиков", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов",
    "Богданов", "Воробьёв", "Комаров", "Киселёв", "Макаров", "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов",
    "Крылов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Морозов", "Волков", "Соловьёв", "Васильев",
    "Зуев", "Фролов", "Медведев", "Никитин", "Орлов", "Жуков", "Беляев", "Тарасов", "Белов", "Степанов",
)  # fmt: skip
BOYS = (
    "Артём", "Михаил", "Кирилл", "Даниил", "Егор", "Никита", "Иван", "Тимофей", "Матвей", "Александр",
    "Арсений", "Глеб", "Лев", "Максим", "Марк", "Роман", "Фёдор", "Степан",
)  # fmt: skip
GIRLS = (
    "Софья", "Анна", "Полина", "Алиса", "Виктория", "Дарья", "Ксения", "Ева", "Мария", "Елизавета",
    "Вероника", "Варвара", "Милана", "Ульяна", "Василиса", "Арина", "Таисия", "Злата",
)  # fmt: skip
MOTHERS = ("Мария", "Ольга", "Наталья", "Екатерина", "Светлана", "Юлия", "Татьяна", "Ирина", "Елена", "Анастасия")
MOTHER_PATRONYMICS = ("Сергеевна", "Игоревна", "Андреевна", "Юрьевна", "Викторовна", "Николаевна", "Павловна")
FATHERS = tuple(school.PATRONYMICS)  # their children's patronymics are known
FATHER_PATRONYMICS = ("Викторович", "Николаевич", "Павлович", "Олегович", "Иванович", "Алексеевич", "Сергеевич")


@dataclass(frozen=True, slots=True)
class SchoolSize:
    """What `create_school` made."""

    path: str
    classes: int
    students: int
    parents: int
    teachers: int
    filled_through: date


class SchoolExists(Exception):
    """The demo file is there already (replace it only when asked)."""


async def create_school(path: Path, today: date, classes: int, students_per_class: int, *, replace: bool) -> SchoolSize:
    """Write a generated school to a new demo file at `path`, its records generated through `today` (as the
    bot's own first start does). An existing file (and its WAL side files) is replaced only with `replace`: a
    running bot notices the new file at its next read."""
    directory = build_sized_directory(classes, students_per_class)  # ValueError before anything is touched
    if path.exists() and not replace:
        raise SchoolExists(f"{path} exists (--force replaces it)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = await connect(path)
    try:
        made = await open_school(conn, today, directory)
    finally:
        await conn.close()
    roles = [p.role for p in made.people.values()]
    return SchoolSize(
        str(path),
        len(made.classes),
        roles.count(Role.STUDENT),
        roles.count(Role.PARENT),
        roles.count(Role.TEACHER),
        today,
    )


def class_name(index: int) -> str:
    """5А, 6А, ... 11А, 1Б, ...; past the alphabet a number follows the letter (1А2)."""
    parallel = PARALLELS[index % len(PARALLELS)]
    letter_index = index // len(PARALLELS)
    letter = LETTERS[letter_index % len(LETTERS)]
    repeat = letter_index // len(LETTERS)
    return f"{parallel}{letter}{repeat + 1 if repeat else ''}"


def build_sized_directory(classes: int, students_per_class: int) -> Directory:
    """The directory of a generated school with `classes` classes of `students_per_class` students each."""
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes: 1 to {MAX_CLASSES}")
    if not 1 <= students_per_class <= MAX_STUDENTS_PER_CLASS:
        raise ValueError(f"students per class: 1 to {MAX_STUDENTS_PER_CLASS}")
    rng = random.Random(f"demo|sized|{classes}|{students_per_class}")
    people: dict[str, Person] = {}
    teaching: dict[tuple[str, str], str] = {}
    teacher_room: dict[str, str] = {}
    class_ids = [f"c{n:0{_width(classes)}d}" for n in range(1, classes + 1)]
    names = {cid: class_name(n) for n, cid in enumerate(class_ids)}
    homerooms: dict[str, str] = {}
    slots: list[Slot] = []
    teacher_width = _width(-(-classes // GROUP_SIZE) * len(school.SUBJECTS))
    for group_number, start in enumerate(range(0, classes, GROUP_SIZE)):
        group = class_ids[start : start + GROUP_SIZE]
        _, _, hours, day_counts = school.CLASSES[group_number % len(school.CLASSES)]
        group_teachers: list[str] = []
        for subject_id in hours:
            tid = f"t{len(teacher_room) + 1:0{teacher_width}d}"
            people[tid] = _adult(rng, tid, Role.TEACHER, Sex.FEMALE if rng.random() < 0.75 else Sex.MALE)
            teacher_room[tid] = str(100 + len(teacher_room))
            group_teachers.append(tid)
            for class_id in group:
                teaching[(class_id, subject_id)] = tid
        for place, class_id in enumerate(group):
            homerooms[class_id] = group_teachers[place % len(group_teachers)]
        leading = build_template([(group[0], hours, day_counts)], teaching, teacher_room, seed=f"demo|sized|{group[0]}")
        slots += _rotated(leading, group)

    student_class: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    student_width = _width(classes * students_per_class)
    parent_width = _width(2 * classes * students_per_class)
    parent_number = 0
    for class_id in class_ids:
        for _ in range(students_per_class):
            sid = f"s{len(student_class) + 1:0{student_width}d}"
            surname, father = rng.choice(SURNAMES), rng.choice(FATHERS)
            sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
            first = rng.choice(BOYS if sex == Sex.MALE else GIRLS)
            patronymic = school.PATRONYMICS[father][0 if sex == Sex.MALE else 1]
            people[sid] = Person(sid, f"{_surname(surname, sex)} {first} {patronymic}", Role.STUDENT, sex)
            student_class[sid] = class_id
            family = rng.random()
            ids = []
            if family < 0.95:  # the mother (alone in one family in five)
                parent_number += 1
                pid = f"p{parent_number:0{parent_width}d}"
                name = f"{_surname(surname, Sex.FEMALE)} {rng.choice(MOTHERS)} {rng.choice(MOTHER_PATRONYMICS)}"
                people[pid] = Person(pid, name, Role.PARENT, Sex.FEMALE)
                ids.append(pid)
            if family < 0.75 or family >= 0.95:  # the father
                parent_number += 1
                pid = f"p{parent_number:0{parent_width}d}"
                name = f"{surname} {father} {rng.choice(FATHER_PATRONYMICS)}"
                people[pid] = Person(pid, name, Role.PARENT, Sex.MALE)
                ids.insert(0, pid)  # father first, as in the default school
            parents[sid] = tuple(ids)

    return Directory(
        school=school.SCHOOL_NAME,
        classes={cid: (names[cid], homerooms[cid]) for cid in class_ids},
        subjects=dict(school.SUBJECTS),
        people=people,
        student_class=student_class,
        parents=parents,
        teaching=teaching,
        teacher_room=teacher_room,
        slots=slots,
        work_types=dict(school.WORK_TYPES),
    )


def _rotated(first: list[Slot], group: list[str]) -> list[Slot]:
    """The group's timetable: class k has the first class's subjects of each day shifted by k lessons."""
    days: dict[int, list[Slot]] = {}
    for slot in sorted(first, key=lambda s: (s.weekday, s.number)):
        days.setdefault(slot.weekday, []).append(slot)
    slots = []
    for place, class_id in enumerate(group):
        for weekday, day in days.items():
            for number in range(1, len(day) + 1):
                source = day[(number - 1 + place) % len(day)]
                slots.append(Slot(class_id, weekday, number, source.subject_id, source.teacher_id, source.room))
    return slots


def _adult(rng: random.Random, person_id: str, role: Role, sex: Sex) -> Person:
    surname = rng.choice(SURNAMES)
    if sex == Sex.MALE:
        return Person(person_id, f"{surname} {rng.choice(FATHERS)} {rng.choice(FATHER_PATRONYMICS)}", role, sex)
    name = f"{_surname(surname, sex)} {rng.choice(MOTHERS)} {rng.choice(MOTHER_PATRONYMICS)}"
    return Person(person_id, name, role, sex)


def _surname(surname: str, sex: Sex) -> str:
    return surname if sex == Sex.MALE else surname + "а"


def _width(count: int) -> int:
    return max(2, len(str(count)))
