"""The fake МЭШ school's data: two 7th-grade classes, three teachers, five pupils, two parents (one with a child in
each class), a week of lessons from Monday 2026-11-23 (or any days a test asks for), marks and homework. Tests
change it while the server runs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

WEEK_START = date(2026, 11, 23)  # a Monday; the tests' clock stands on Wednesday 2026-11-25
SCHOOL_ID = 555
PERIODS_SCHEDULE_ID = 77
ACADEMIC_YEAR_ID = 14
BELLS = (time(8, 30), time(9, 30), time(10, 30), time(11, 30))


@dataclass
class Person:
    id: int
    last_name: str
    first_name: str
    middle_name: str
    sex: str


@dataclass
class Teacher(Person):
    group_ids: list[int] = field(default_factory=list)
    homeroom_class_ids: list[int] = field(default_factory=list)


@dataclass
class Student(Person):
    class_id: int = 0
    guid: str = ""
    parent_ids: list[int] = field(default_factory=list)


@dataclass
class Group:
    id: int
    class_id: int
    subject_id: int
    student_ids: list[int] | None = None  # a subgroup's pupils; None: the whole class
    label: str = ""  # a subgroup's name suffix, e.g. "гр. 2"


@dataclass
class Lesson:
    id: int
    group_id: int
    day: date
    start: time
    teacher_id: int
    room: str
    minutes: int = 45
    cancelled: bool = False
    replaced: bool = False
    replaced_teacher_id: int | None = None


@dataclass
class Mark:
    id: int
    student_id: int
    group_id: int
    value: str
    day: date
    weight: int = 1
    control_form_name: str = "Ответ на уроке"
    comment: str | None = None
    is_exam: bool = False
    point_date: date | None = None
    lesson_id: int | None = None
    teacher_id: int | None = None
    created_at: datetime = datetime(2026, 11, 23, 12, 0)
    updated_at: datetime = datetime(2026, 11, 23, 12, 0)


@dataclass
class Homework:
    id: int
    group_id: int
    assigned: date
    due: date
    entries: list[tuple[int, str]]


@dataclass
class FinalMark:
    student_id: int
    subject_id: int
    period_id: int | None  # None: the year mark
    value: str


@dataclass
class FakeSchool:
    classes: dict[int, str]
    subjects: dict[int, str]
    groups: dict[int, Group]
    teachers: dict[int, Teacher]
    students: dict[int, Student]
    parents: dict[int, Person]
    lessons: dict[int, Lesson]
    marks: dict[int, Mark]
    homework: dict[int, Homework]
    finals: list[FinalMark]
    periods: list[tuple[int, str, date, date]]
    years: list[tuple[int, str, date, date, bool]]
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100_000))

    def new_id(self) -> int:
        return next(self._ids)

    # lookups
    def class_id(self, name: str) -> int:
        return next(i for i, n in self.classes.items() if n == name)

    def group_of(self, class_name: str, subject: str, student_id: int | None = None) -> Group:
        """The class's group of `subject` (the first subgroup, or `student_id`'s one where it is split)."""
        class_id = self.class_id(class_name)
        return next(
            g
            for g in self.groups.values()
            if g.class_id == class_id
            and self.subjects[g.subject_id] == subject
            and (student_id is None or self.in_group(self.students[student_id], g))
        )

    def lesson_at(self, class_name: str, day: date, number: int) -> Lesson:
        class_id = self.class_id(class_name)
        return next(
            lesson
            for lesson in self.lessons.values()
            if self.groups[lesson.group_id].class_id == class_id
            and lesson.day == day
            and lesson.start == BELLS[number - 1]
        )

    def in_group(self, student: Student, group: Group) -> bool:
        if group.class_id != student.class_id:
            return False
        return group.student_ids is None or student.id in group.student_ids

    def groups_of(self, student: Student) -> list[Group]:
        return [g for g in self.groups.values() if self.in_group(student, g)]

    # changes tests make while the server runs
    def add_mark(self, student_id: int, subject: str, value: str, day: date, **fields: object) -> Mark:
        student = self.students[student_id]
        group = self.group_of(self.classes[student.class_id], subject, student_id)
        created = datetime.combine(day, time(12, 0))
        lesson = next((x for x in self.lessons.values() if x.group_id == group.id and x.day == day), None)
        mark = Mark(self.new_id(), student_id, group.id, value, day, created_at=created, updated_at=created)
        if lesson is not None:
            mark.lesson_id, mark.teacher_id = lesson.id, lesson.teacher_id
        for name, value_ in fields.items():
            setattr(mark, name, value_)
        self.marks[mark.id] = mark
        return mark

    def correct_mark(self, mark_id: int, value: str, at: datetime | None = None) -> Mark:
        mark = self.marks[mark_id]
        mark.value = value
        mark.updated_at = at or mark.updated_at + timedelta(hours=1)
        return mark

    def cancel_lesson(self, lesson_id: int) -> None:
        self.lessons[lesson_id].cancelled = True

    def replace_lesson(self, lesson_id: int, substitute_id: int) -> None:
        """The substitute gives the lesson: `teacher_id` becomes theirs, `replaced_teacher_id` the original's."""
        lesson = self.lessons[lesson_id]
        lesson.replaced, lesson.replaced_teacher_id, lesson.teacher_id = True, lesson.teacher_id, substitute_id

    def split_group(self, class_name: str, subject: str, members: list[int], teacher_id: int, room: str) -> Group:
        """The class's `subject` group splits in two: `members` form a second subgroup, taught by `teacher_id` in
        `room` at the same time as the first one (each lesson of the first group gets a parallel twin)."""
        first = self.group_of(class_name, subject)
        pupils = [s.id for s in self.students.values() if s.class_id == first.class_id]
        first.student_ids, first.label = [p for p in pupils if p not in members], "гр. 1"
        second = Group(self.new_id(), first.class_id, first.subject_id, list(members), "гр. 2")
        self.groups[second.id] = second
        self.teachers[teacher_id].group_ids.append(second.id)
        for lesson in [x for x in self.lessons.values() if x.group_id == first.id]:
            twin = Lesson(self.new_id(), second.id, lesson.day, lesson.start, teacher_id, room, lesson.minutes)
            self.lessons[twin.id] = twin
        return second

    def add_homework(self, class_name: str, subject: str, due: date, text: str) -> Homework:
        group = self.group_of(class_name, subject)
        homework = Homework(self.new_id(), group.id, due - timedelta(days=1), due, [(self.new_id(), text)])
        self.homework[homework.id] = homework
        return homework


def school_year(day: date) -> tuple[date, list[tuple[int, str, date, date]]]:
    """The academic year holding `day`: its first day and four back-to-back quarters (a fake needs no holidays)."""
    first = date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    bounds = [first, date(first.year, 11, 1), date(first.year + 1, 1, 1), date(first.year + 1, 4, 1)]
    ends = [*(b - timedelta(days=1) for b in bounds[1:]), date(first.year + 1, 8, 31)]
    return first, [(301 + i, f"{i + 1} четверть", b, e) for i, (b, e) in enumerate(zip(bounds, ends, strict=True))]


def build_school(first_day: date = WEEK_START, days: int = 5) -> FakeSchool:
    """The school with lessons on `days` days from `first_day` (weekends too, when a test's dates reach them)."""
    classes = {101: "7-А", 102: "7-Б"}
    subjects = {1: "Математика", 2: "Русский язык", 3: "Английский язык", 4: "История"}
    groups = {class_id * 10 + s: Group(class_id * 10 + s, class_id, s) for class_id in classes for s in subjects}
    teachers = {
        5001: Teacher(5001, "Петрова", "Анна", "Ивановна", "female", [1011, 1021], [101]),
        5002: Teacher(5002, "Сидоров", "Олег", "Петрович", "male", [1012, 1014, 1022, 1024], [102]),
        5003: Teacher(5003, "Кузнецова", "Елена", "Сергеевна", "female", [1013, 1023], []),
    }
    students = {
        9001: Student(9001, "Иванов", "Пётр", "Андреевич", "male", 101, "guid-9001", [7001]),
        9002: Student(9002, "Смирнова", "Мария", "Олеговна", "female", 101, "guid-9002", [7002]),
        9003: Student(9003, "Васильев", "Иван", "Ильич", "male", 101, "guid-9003", []),
        9004: Student(9004, "Иванова", "Ольга", "Андреевна", "female", 102, "guid-9004", [7001]),
        9005: Student(9005, "Орлов", "Денис", "Павлович", "male", 102, "guid-9005", []),
    }
    parents = {
        7001: Person(7001, "Иванова", "Светлана", "Викторовна", "female"),
        7002: Person(7002, "Смирнов", "Олег", "Игоревич", "male"),
    }
    year_start, quarters = school_year(first_day)
    year_end = date(year_start.year + 1, 8, 31)
    previous_start, previous_end = year_start.replace(year=year_start.year - 1), year_start - timedelta(days=1)
    school = FakeSchool(
        classes,
        subjects,
        groups,
        teachers,
        students,
        parents,
        {},
        {},
        {},
        [],
        quarters,
        [
            (ACADEMIC_YEAR_ID - 1, f"{year_start.year - 1}-{year_start.year}", previous_start, previous_end, False),
            (ACADEMIC_YEAR_ID, f"{year_start.year}-{year_start.year + 1}", year_start, year_end, True),
        ],
    )
    teacher_of = {g: t.id for t in teachers.values() for g in t.group_ids}
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for class_id in classes:
            for number, start in enumerate(BELLS):
                subject_id = (offset + number) % 4 + 1
                group_id = class_id * 10 + subject_id
                lesson = Lesson(school.new_id(), group_id, day, start, teacher_of[group_id], f"{200 + subject_id}")
                school.lessons[lesson.id] = lesson
    for student in students.values():
        for subject_id in subjects:
            school.finals.append(FinalMark(student.id, subject_id, 301, "5" if subject_id % 2 else "4"))
    second_day = first_day + timedelta(days=1)
    school.add_mark(9001, "Математика", "5", first_day, weight=2, control_form_name="Контрольная работа")
    school.add_mark(9002, "Математика", "4", first_day)
    school.add_mark(9001, "История", "3", second_day, comment="Не выучил даты")
    school.add_mark(9004, "Английский язык", "5", first_day)
    school.add_mark(9005, "Русский язык", "н", second_day)
    for lesson in list(school.lessons.values())[::3]:
        following = [x.day for x in school.lessons.values() if x.group_id == lesson.group_id and x.day > lesson.day]
        if following:
            entry = (school.new_id(), f"§{lesson.id % 50}, упражнения 1–3")
            homework = Homework(school.new_id(), lesson.group_id, lesson.day, min(following), [entry])
            school.homework[homework.id] = homework
    return school
