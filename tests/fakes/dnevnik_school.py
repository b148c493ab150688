"""The small school behind the fake Дневник.ру, and how the API renders it (real field names and shapes).

School «МБОУ СОШ № 17», classes 5А and 6Б (and a subgroup of 5А), four teachers, seven pupils with parents,
lessons Mon-Fri from 1 Sep to 28 Dec 2026 (autumn break 27 Oct-4 Nov), marks through 25 Nov 2026, homework
with due dates and files, quarters of 2025/26 and 2026/27, final marks of the first quarter.
`build_school(today=...)` moves the whole calendar by whole weeks so that `today` falls in the week of
30 Nov 2026 (lessons that week, marks until the Wednesday before): what a real bot process on the real
clock needs.

Ids of people, classes, lessons, works and marks are int64 beyond 2^53: the JSON carries the `_str` twin and
an int that is deliberately what a float-reading client sees (not the id), so only `_str` leads anywhere.
Subject and work type ids stay small (the API refers to them by bare ints).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

BIG = 2**60
SUBJECTS = {
    1001: "Математика",
    1002: "Русский язык",
    1003: "Английский язык",
    1004: "История",
    1005: "Физическая культура",
}
WORK_TYPES = [  # id, title, abbr, weight
    (101, "Ответ на уроке", "УО", 1),
    (102, "Контрольная работа", "КР", 3),
    (103, "Самостоятельная работа", "СР", 2),
    (104, "Домашнее задание", "ДЗ", 1),
    (105, "Четвертная", "Ч", 1),
]
FIRST_DAY, LAST_DAY, MARKS_UNTIL = date(2026, 9, 1), date(2026, 12, 28), date(2026, 11, 25)
ANCHOR_WEEK = date(2026, 11, 30)  # a Monday: build_school(today) puts today in this week
FINAL_MARKS_GIVEN = datetime(2026, 10, 26, 12, 0)
AUTUMN_BREAK = (date(2026, 10, 27), date(2026, 11, 4))
QUARTERS = {
    2025: [(date(2025, 9, 1), date(2025, 10, 24)), (date(2025, 11, 5), date(2025, 12, 28)),
           (date(2026, 1, 12), date(2026, 3, 20)), (date(2026, 4, 1), date(2026, 5, 26))],
    2026: [(date(2026, 9, 1), date(2026, 10, 26)), (date(2026, 11, 5), date(2026, 12, 28)),
           (date(2027, 1, 12), date(2027, 3, 22)), (date(2027, 4, 1), date(2027, 5, 26))],
}  # fmt: skip


def big_id(kind: int, n: int) -> str:
    return str(BIG + kind * 2**40 + n * 1000 + 7)  # odd: never a multiple of the float spacing


def js_int(id_str: str) -> int:
    """The int a client reading JSON numbers as doubles gets: NOT the id."""
    return int(float(int(id_str)))


def ids(name: str, id_str: str | None) -> dict[str, Any]:
    if id_str is None:
        return {name: None, f"{name}_str": None}
    return {name: js_int(id_str), f"{name}_str": id_str}


def local(moment: datetime, unpadded: bool = False) -> str:
    """School-local without offset; the unpadded form some servers and clients use, where asked."""
    if unpadded:
        return f"{moment.year}-{moment.month}-{moment.day}T{moment.hour}:{moment.minute}:{moment.second}"
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


@dataclass
class Person:
    id: str
    user_id: str | None
    last: str
    first: str
    middle: str
    sex: str

    def api(self) -> dict[str, Any]:
        return {
            **ids("id", self.id),
            **ids("userId", self.user_id),
            "firstName": self.first,
            "lastName": self.last,
            "middleName": self.middle,
            "shortName": f"{self.last} {self.first[0]}. {self.middle[0]}.",
            "sex": self.sex,
        }


@dataclass
class Teacher:
    person: Person
    subjects: list[int]
    homeroom: str | None  # group id

    def api(self, groups: dict[str, Group]) -> dict[str, Any]:
        p = self.person
        home = groups[self.homeroom] if self.homeroom else None
        return {
            "Id": js_int(p.id),
            "IdStr": p.id,
            "UserId": js_int(p.user_id) if p.user_id else None,
            "FirstName": p.first,
            "LastName": p.last,
            "MiddleName": p.middle,
            "ShortName": f"{p.last} {p.first[0]}. {p.middle[0]}.",
            "Sex": p.sex,
            "Subjects": [{"Id": s, "Name": SUBJECTS[s]} for s in self.subjects],
            "HouseMaster": [{"Id": js_int(home.id), "IdStr": home.id, "Name": home.name}] if home else [],
            "NameTeacherPosition": "Учитель",
            "Email": None,
        }


@dataclass
class Group:
    id: str
    name: str
    type: str
    parallel: int
    students: list[str] = field(default_factory=list)
    parent: str | None = None
    bells: list[tuple[int, time, time]] = field(default_factory=list)
    unpadded_times: bool = False

    def api(self) -> dict[str, Any]:
        return {
            **ids("id", self.id),
            "parentIds": [js_int(self.parent)] if self.parent else [],
            "parentIds_str": [self.parent] if self.parent else [],
            "type": self.type,
            "name": self.name,
            "fullName": f"{self.name} класс" if self.type == "Group" else self.name,
            "parallel": self.parallel,
            "status": "Active",
            "studyyear": 2026,
            "educationType": "Basic",
            "journaltype": "Standard",
        }


@dataclass
class Lesson:
    id: str
    group: str
    day: date
    number: int
    subject: int
    teacher: str
    place: str


@dataclass
class Work:
    id: str
    lesson: str | None
    group: str
    subject: int
    type: str
    work_type: int
    text: str = ""
    target: date | None = None
    sent: datetime | None = None
    files: list[int] = field(default_factory=list)
    period: tuple[int, str] | None = None  # final marks: (periodNumber, periodType)

    def api(self) -> dict[str, Any]:
        return {
            **ids("id", self.id),
            "type": self.type,
            "workType": self.work_type,
            "markType": "Mark",
            "markCount": 1,
            **ids("lesson", self.lesson),
            "displayInJournal": True,
            "status": "Sent",
            **ids("eduGroup", self.group),
            "tasks": [],
            "text": self.text,
            "periodNumber": self.period[0] if self.period else None,
            "periodType": self.period[1] if self.period else None,
            "subjectId": self.subject,
            "isImportant": False,
            "targetDate": local(datetime.combine(self.target, time())) if self.target else None,
            "sentDate": local(self.sent) if self.sent else None,
            "createdBy": None,
            "files": self.files,
            "oneDriveLinks": [],
        }


@dataclass
class Mark:
    id: str
    person: str
    work: str
    lesson: str | None
    value: str
    when: datetime
    work_type: int
    unpadded: bool = False

    def api(self) -> dict[str, Any]:
        return {
            **ids("id", self.id),
            "type": "mark",
            "value": self.value,
            "textValue": self.value,
            **ids("person", self.person),
            **ids("work", self.work),
            **ids("lesson", self.lesson),
            "number": 0,
            "workType": self.work_type,
            "mood": "Good" if self.value in {"5", "4"} else "NotSet",
            "use_avg_calc": self.value != "н",
            "date": local(self.when, self.unpadded),
        }


@dataclass
class School:
    id: str
    name: str
    admin: Person
    groups: dict[str, Group]
    people: dict[str, Person]
    teachers: dict[str, Teacher]
    relatives: dict[str, list[str]]  # pupil's user id -> parents' person ids
    lessons: dict[str, Lesson]
    works: dict[str, Work]
    marks: dict[str, Mark]
    finals: dict[str, Mark]
    counter: int = 0
    shift: timedelta = timedelta(0)  # how far the calendar moved from the dates above (whole weeks)

    def next_id(self, kind: int) -> str:
        self.counter += 1
        return big_id(kind, 900_000 + self.counter)

    def group_by_name(self, name: str) -> Group:
        return next(g for g in self.groups.values() if g.name == name)

    def student(self, last: str, first: str) -> Person:
        return next(p for p in self.people.values() if (p.last, p.first) == (last, first))

    def group_of(self, person_id: str) -> Group | None:
        return next((g for g in self.groups.values() if g.type == "Group" and person_id in g.students), None)

    def lessons_of(self, group_id: str, start: datetime, end: datetime) -> list[Lesson]:
        found = [x for x in self.lessons.values() if x.group == group_id and start.date() <= x.day <= end.date()]
        return sorted(found, key=lambda x: (x.day, x.number))

    def lesson_api(self, lesson: Lesson, *, in_schedule: bool = False) -> dict[str, Any]:
        teacher = self.teachers[lesson.teacher].person
        data = {
            **ids("id", lesson.id),
            "title": f"Тема урока {lesson.number}",
            "date": local(datetime.combine(lesson.day, time())),
            "number": lesson.number,
            **ids("group", lesson.group),
            "status": "None",
            "resultPlaceId": None,
            "teachers": [js_int(teacher.id)],
            "teachers_str": [teacher.id],
        }
        if in_schedule:  # schedule days give subjectId and the room
            data |= {"subjectId": lesson.subject, "place": lesson.place, "building": "Основное здание", "floor": None}
        else:
            data |= {"subject": {"id": lesson.subject, "id_str": str(lesson.subject), "name": SUBJECTS[lesson.subject]}}
            data["works"] = [w.api() for w in self.works.values() if w.lesson == lesson.id]
        return data

    def subjects_api(self, subject_ids: set[int] | None = None) -> list[dict[str, Any]]:
        chosen = sorted(subject_ids if subject_ids is not None else SUBJECTS)
        return [
            {"id": s, "id_str": str(s), "name": SUBJECTS[s], "knowledgeArea": None, "fgosSubjectId": None}
            for s in chosen
        ]

    def work_types_api(self, *, with_weight: bool = True) -> list[dict[str, Any]]:
        rows = []
        for type_id, title, abbr, weight in WORK_TYPES:
            row: dict[str, Any] = {"id": type_id, "id_str": str(type_id), "schoolId": js_int(self.id), "kind": "Common"}
            if with_weight:
                row |= {"title": title, "abbr": abbr, "weight": weight}
            else:
                row |= {"name": title, "abbreviation": abbr, "isFinal": type_id == 105, "isImportant": False}
            rows.append(row)
        return rows

    def periods_api(self) -> list[dict[str, Any]]:
        rows = []
        for quarters in QUARTERS.values():
            year = school_year(quarters[0][0] + self.shift)
            for number, (first, last) in enumerate(quarters):
                start, finish = first + self.shift, last + self.shift
                period_id = big_id(9, year * 10 + number)
                rows.append({
                    **ids("id", period_id),
                    "start": local(datetime.combine(start, time())),
                    "finish": local(datetime.combine(finish, time())),
                    "number": number,
                    "type": "Quarter",
                    "name": f"{number + 1} четверть",
                    "year": year,
                })  # fmt: skip
        return rows

    def timetable_api(self, group: Group) -> dict[str, Any]:
        def clock(t: time) -> str:
            return f"{t.hour}:{t.minute:02d}:00" if group.unpadded_times else f"{t:%H:%M}"

        items: list[dict[str, Any]] = []
        for number, start, finish in group.bells:
            items.append({"Id": number, "Start": clock(start), "Finish": clock(finish), "Name": f"{number} урок",
                          "Type": "Lesson", "DaysOfWeek": [1, 2, 3, 4, 5], "LessonNumber": number})  # fmt: skip
            items.append({"Id": 100 + number, "Start": clock(finish), "Finish": clock(finish), "Name": "Перемена",
                          "Type": "Break", "DaysOfWeek": [1, 2, 3, 4, 5], "LessonNumber": None})  # fmt: skip
        start = local(datetime.combine(FIRST_DAY + self.shift, time()))
        return {"Name": "Основное", "Start": start, "FirstLessonNumber": 1, "Items": items}


def school_year(day: date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def anchor_shift(today: date) -> timedelta:
    """Whole weeks from ANCHOR_WEEK to the week of `today` (weekdays stay weekdays)."""
    monday = today - timedelta(days=today.weekday())
    return monday - ANCHOR_WEEK


def build_school(today: date | None = None) -> School:
    """The school on the dates above, or moved so that `today` lies in the week of ANCHOR_WEEK."""
    rng = random.Random(17)
    shift = timedelta(0) if today is None else anchor_shift(today)
    school_id = big_id(1, 1)
    admin = Person(big_id(2, 1), big_id(3, 1), "Орлова", "Наталья", "Викторовна", "Female")
    people: dict[str, Person] = {admin.id: admin}
    counter = iter(range(2, 1000))

    def person(last: str, first: str, middle: str, sex: str, login: bool = True) -> Person:
        n = next(counter)
        found = Person(big_id(2, n), big_id(3, n) if login else None, last, first, middle, sex)
        people[found.id] = found
        return found

    bells_5 = [(1, time(8, 30), time(9, 15)), (2, time(9, 25), time(10, 10)), (3, time(10, 30), time(11, 15)),
               (4, time(11, 35), time(12, 20)), (5, time(12, 30), time(13, 15))]  # fmt: skip
    bells_6 = [(n, time(start.hour + 1, start.minute), time(end.hour + 1, end.minute)) for n, start, end in bells_5]
    g5 = Group(big_id(4, 1), "5А", "Group", 5, bells=bells_5)
    g6 = Group(big_id(4, 2), "6Б", "Group", 6, bells=bells_6, unpadded_times=True)
    sub = Group(big_id(4, 3), "5А Английский язык 1 гр.", "Subgroup", 5, parent=g5.id, bells=bells_5)
    groups = {g.id: g for g in (g5, g6, sub)}

    math = person("Соколова", "Ирина", "Владимировна", "Female")
    russian = person("Кузнецов", "Андрей", "Петрович", "Male")
    english = person("Лебедева", "Ольга", "Сергеевна", "Female")
    history = person("Морозов", "Дмитрий", "Игоревич", "Male")
    teachers = {
        math.id: Teacher(math, [1001], g5.id),
        russian.id: Teacher(russian, [1002], g6.id),
        english.id: Teacher(english, [1003], None),
        history.id: Teacher(history, [1004, 1005], None),
    }
    teacher_of = {1001: math.id, 1002: russian.id, 1003: english.id, 1004: history.id, 1005: history.id}

    pupils_5 = [person("Иванов", "Пётр", "Сергеевич", "Male"), person("Смирнова", "Анна", "Олеговна", "Female"),
                person("Новиков", "Артём", "Ильич", "Male"),
                person("Попов", "Кирилл", "Андреевич", "Male", login=False)]  # fmt: skip
    pupils_6 = [person("Волкова", "Мария", "Дмитриевна", "Female"), person("Новиков", "Илья", "Ильич", "Male"),
                person("Фёдорова", "Ксения", "Павловна", "Female")]  # fmt: skip
    g5.students, g6.students = [p.id for p in pupils_5], [p.id for p in pupils_6]
    sub.students = [pupils_5[0].id, pupils_5[1].id]
    mother_iv, father_iv = (
        person("Иванова", "Елена", "Николаевна", "Female"),
        person("Иванов", "Сергей", "Петрович", "Male"),
    )
    father_sm = person("Смирнов", "Олег", "Игоревич", "Male")
    mother_nov = person("Новикова", "Светлана", "Юрьевна", "Female")  # two children, one in each class
    mother_vol = person("Волкова", "Татьяна", "Андреевна", "Female")
    mother_fed = person("Фёдорова", "Ольга", "Викторовна", "Female")
    families = [
        (pupils_5[0], [mother_iv, father_iv]),
        (pupils_5[1], [father_sm]),
        (pupils_5[2], [mother_nov]),
        (pupils_6[0], [mother_vol]),
        (pupils_6[1], [mother_nov]),
        (pupils_6[2], [mother_fed]),
    ]
    relatives = {child.user_id: [p.id for p in parents] for child, parents in families if child.user_id}

    week = {
        g5.id: [[1001, 1002, 1003, 1004], [1002, 1001, 1005, 1003], [1001, 1002, 1004, 1005], [1003, 1001, 1002],
                [1002, 1001, 1004, 1003]],
        g6.id: [[1002, 1001, 1004, 1003], [1001, 1003, 1002, 1005], [1002, 1001, 1003], [1004, 1002, 1001, 1005],
                [1001, 1002, 1003, 1004]],
    }  # fmt: skip
    school = School(school_id, "МБОУ СОШ № 17", admin, groups, people, teachers, relatives, {}, {}, {}, {}, shift=shift)
    day = FIRST_DAY + shift
    while day <= LAST_DAY + shift:
        if day.weekday() < 5 and not AUTUMN_BREAK[0] + shift <= day <= AUTUMN_BREAK[1] + shift:
            for group_id, template in week.items():
                for number, subject in enumerate(template[day.weekday()], start=1):
                    lesson_id = school.next_id(5)
                    place = "Спортзал" if subject == 1005 else f"{200 + subject % 10 + 10 * groups[group_id].parallel}"
                    school.lessons[lesson_id] = Lesson(
                        lesson_id, group_id, day, number, subject, teacher_of[subject], place
                    )
        day += timedelta(days=1)
    _homework_and_marks(school, rng)
    _final_marks(school, rng)
    return school


def _homework_and_marks(school: School, rng: random.Random) -> None:
    lessons = sorted(school.lessons.values(), key=lambda x: (x.day, x.number))
    days: dict[tuple[str, int], list[date]] = {}
    for lesson in lessons:
        days.setdefault((lesson.group, lesson.subject), []).append(lesson.day)
    for lesson in lessons:
        if lesson.subject in (1001, 1002, 1003):
            later = [d for d in days[lesson.group, lesson.subject] if d > lesson.day]
            if later:
                work_id = school.next_id(6)
                files = [int(big_id(8, len(school.works)))] if lesson.subject == 1003 else []
                sent = datetime.combine(lesson.day, time(15, 0))
                text = f"Упражнение {rng.randint(1, 300)}, стр. {rng.randint(5, 200)}"
                school.works[work_id] = Work(work_id, lesson.id, lesson.group, lesson.subject, "Homework", 104, text,
                                             later[0], sent, files)  # fmt: skip
        if lesson.day > MARKS_UNTIL + school.shift:
            continue
        work_type = 102 if (lesson.day - school.shift).day in (10, 24) and lesson.subject == 1001 else 101
        class_work = school.next_id(6)
        school.works[class_work] = Work(class_work, lesson.id, lesson.group, lesson.subject, "LessonWork", work_type)
        for student in school.groups[lesson.group].students:
            if rng.random() < 0.6:
                when = datetime.combine(lesson.day, time(9 + lesson.number, rng.randint(0, 59), rng.randint(0, 59)))
                when = when.replace(microsecond=rng.choice([0, rng.randint(1, 999_999)]))
                value = rng.choice(["5", "5", "4", "4", "4", "3", "2", "н", "4-", "5"])
                mark_id = school.next_id(7)
                school.marks[mark_id] = Mark(mark_id, student, class_work, lesson.id, value, when, work_type,
                                             unpadded=rng.random() < 0.2)  # fmt: skip


def _final_marks(school: School, rng: random.Random) -> None:
    for group in school.groups.values():
        if group.type != "Group":
            continue
        subjects = sorted({x.subject for x in school.lessons.values() if x.group == group.id})
        for subject in subjects:
            work_id = school.next_id(6)
            school.works[work_id] = Work(
                work_id, None, group.id, subject, "PeriodFinalMark", 105, period=(0, "Quarter")
            )
            for student in group.students:
                mark_id = school.next_id(7)
                value = rng.choice(["5", "4", "4", "3"])
                when = FINAL_MARKS_GIVEN + school.shift
                school.finals[mark_id] = Mark(mark_id, student, work_id, None, value, when, 105)
