"""Invariants of the demo school: people, relations, timetable, grades, homework, periods."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime, timedelta

import aiosqlite
import pytest

from bot.clock import ManualClock
from bot.ediary.demo import DemoProvider
from bot.ediary.demo.school_calendar import BELLS, is_school_day, school_days
from bot.ediary.model import LessonStatus, Role, Sex, parse_grade_value

TODAY = date(2026, 11, 25)
YEAR_START = date(2026, 9, 1)


def clock_at(day: date, hour: int = 10) -> ManualClock:
    return ManualClock(datetime(day.year, day.month, day.day, hour), "Europe/Moscow")


@pytest.fixture(scope="module")
def seeded_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"

    async def seed():
        await (await DemoProvider.open(path, clock_at(TODAY))).close()

    asyncio.run(seed())
    return path


@pytest.fixture
async def demo(seeded_path):
    provider = await DemoProvider.open(seeded_path, clock_at(TODAY))
    yield provider
    await provider.close()


async def test_sizes(demo):
    assert len(await demo.list_people(role=Role.STUDENT)) >= 20
    assert len(await demo.list_people(role=Role.TEACHER)) >= 8
    assert await demo.list_classes() == ["5А", "7Б", "9В"]
    for class_name in await demo.list_classes():
        assert len(await demo.class_subjects(class_name)) >= 8


async def test_names_have_three_parts_and_gender_forms(demo):
    for person in await demo.list_people():
        surname, _first, patronymic = person.full_name.split()
        female = patronymic.endswith(("вна", "ична"))
        assert female or patronymic.endswith("ич"), person
        assert surname.endswith("а") == female, person


async def test_every_student_has_one_or_two_parents_with_the_same_surname(demo):
    for person in await demo.list_people(role=Role.STUDENT):
        parents = await demo.parents_of(person.id)
        assert 1 <= len(parents) <= 2
        family = person.full_name.split()[0].removesuffix("а")
        for parent in parents:
            assert parent.role == Role.PARENT
            assert parent.full_name.split()[0].removesuffix("а") == family
            assert person.id in [c.id for c in await demo.children_of(parent.id)]


async def test_some_parent_has_children_in_two_classes(demo):
    children = [{c.class_name for c in await demo.children_of(p.id)} for p in await demo.list_people(role=Role.PARENT)]
    assert any(len(classes) >= 2 for classes in children)
    assert {c.id: c.class_name for c in await demo.children_of("p01")} == {"s01": "5А", "s17": "9В"}


async def test_each_class_has_one_homeroom_teacher_listed_first(demo):
    teachers = [await demo.get_teacher(p.id) for p in await demo.list_people(role=Role.TEACHER)]
    for class_name in await demo.list_classes():
        heads = [t for t in teachers if t.homeroom_class == class_name]
        assert len(heads) == 1
        listed = await demo.class_teachers(class_name)
        assert listed[0] == heads[0]
        assert all(class_name in t.classes for t in listed)
        taught = {s for t in listed for s in t.subjects}
        assert {s.name for s in await demo.class_subjects(class_name)} <= taught


async def test_timetable_has_bells_and_five_to_seven_lessons_per_school_day(demo):
    start, end = TODAY - timedelta(days=14), TODAY + timedelta(days=14)
    for class_name in await demo.list_classes():
        lessons = await demo.class_lessons(class_name, start, end)
        per_day = Counter(lesson.date for lesson in lessons)
        assert set(per_day) == set(school_days(start, end))
        assert all(5 <= n <= 7 for n in per_day.values())
        for lesson in lessons:
            assert (lesson.start, lesson.end) == BELLS[lesson.number]
            assert lesson.room and lesson.teacher_id and lesson.key == f"{class_name}|{lesson.date}|{lesson.number}"


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 11, 28),
        date(2026, 11, 29),
        date(2026, 11, 2),
        date(2026, 12, 31),
        date(2027, 1, 5),
        date(2027, 2, 23),
        date(2027, 3, 8),
        date(2027, 7, 1),
    ],
)
async def test_no_lessons_on_weekends_and_holidays(demo, day):
    assert not is_school_day(day)
    assert await demo.class_lessons("5А", day, day) == []


async def test_no_teacher_in_two_places_at_once(demo):
    busy = Counter()
    for class_name in await demo.list_classes():
        for lesson in await demo.class_lessons(class_name, TODAY - timedelta(days=7), TODAY + timedelta(days=7)):
            if lesson.status != LessonStatus.CANCELLED:
                busy[(lesson.date, lesson.number, lesson.teacher_id)] += 1
    assert max(busy.values()) == 1


async def test_grades_cover_every_subject_and_only_school_days(demo):
    for class_name in await demo.list_classes():
        grades = await demo.class_grades(class_name, YEAR_START, TODAY)
        assert {g.subject for g in grades} == {s.name for s in await demo.class_subjects(class_name)}
        assert all(is_school_day(g.date) and YEAR_START <= g.date <= TODAY for g in grades)
        lessons = {lesson.id: lesson for lesson in await demo.class_lessons(class_name, YEAR_START, TODAY)}
        for g in grades:
            lesson = lessons[g.lesson_id]
            assert (lesson.subject, lesson.date, lesson.teacher_id) == (g.subject, g.date, g.teacher_id)
            assert lesson.status != LessonStatus.CANCELLED
            assert parse_grade_value(g.value) == g.numeric and g.weight > 0


async def test_grades_look_like_a_real_diary(demo):
    grades = await demo.class_grades("7Б", YEAR_START, TODAY)
    values = Counter(g.value for g in grades)
    assert {"5", "4", "3"} <= set(values) and "н" in values
    assert any(v.endswith(("+", "-")) for v in values)
    assert any(g.numeric is None for g in grades)
    assert any(g.comment for g in grades)
    work = {g.work_type: g.weight for g in grades}
    assert work["Контрольная работа"] == 2.0 and work["Ответ на уроке"] == 1.0
    assert any(g.value == "зч" for g in await demo.class_grades("5А", YEAR_START, TODAY))


async def test_homework_for_the_coming_days(demo):
    homework = await demo.class_homework("5А", TODAY + timedelta(days=1), TODAY + timedelta(days=7))
    assert homework and all(h.due > TODAY and h.text for h in homework)
    assert all(h.assigned is None or h.assigned < h.due for h in homework)
    assert len({h.id for h in homework}) == len(homework)


async def test_coming_days_have_every_kind_of_change(demo):
    coming = list(school_days(TODAY + timedelta(days=1), TODAY + timedelta(days=21)))
    lessons = []
    for class_name in await demo.list_classes():
        lessons += await demo.class_lessons(class_name, coming[0], coming[9])
    by_status = {}
    for lesson in lessons:
        by_status.setdefault(lesson.status, []).append(lesson)
    assert set(by_status) == set(LessonStatus)
    for sub in by_status[LessonStatus.SUBSTITUTED]:
        assert sub.original_teacher_id and sub.original_teacher_id != sub.teacher_id and sub.reason
    for moved in by_status[LessonStatus.ROOM_CHANGED]:
        assert moved.original_room and moved.original_room != moved.room
    for cancelled in by_status[LessonStatus.CANCELLED]:
        assert cancelled.reason and cancelled.teacher_id
    first_week = {lesson.status for lesson in lessons if lesson.date in coming[:5]}
    assert {LessonStatus.SUBSTITUTED, LessonStatus.ROOM_CHANGED, LessonStatus.CANCELLED} <= first_week


async def test_periods_and_final_marks(demo):
    periods = await demo.periods()
    assert [(p.id, p.name) for p in periods] == [
        ("2026-q1", "1 четверть"),
        ("2026-q2", "2 четверть"),
        ("2026-q3", "3 четверть"),
        ("2026-q4", "4 четверть"),
    ]
    assert (periods[0].start, periods[1].end, periods[3].end) == (YEAR_START, date(2026, 12, 28), date(2027, 5, 26))
    assert demo.capabilities.final_marks
    marks = await demo.final_marks("s01")
    assert {m.period_id for m in marks} == {"2026-q1"}
    assert {m.subject for m in marks} == {s.name for s in await demo.class_subjects("5А")}
    assert all(m.value in {"2", "3", "4", "5"} for m in marks)


async def test_summer_shows_the_year_that_just_ended(tmp_path):
    provider = await DemoProvider.open(tmp_path / "demo.sqlite3", clock_at(date(2027, 7, 10)))
    try:
        assert [p.id for p in await provider.periods()][-1] == "2026-q4"
        marks = await provider.final_marks("s17")
        assert {m.period_id for m in marks} == {"2026-q1", "2026-q2", "2026-q3", "2026-q4", "year"}
        grades = await provider.student_grades("s17", YEAR_START, date(2027, 7, 10))
        assert max(g.date for g in grades) <= date(2027, 5, 26)
    finally:
        await provider.close()


async def test_everyone_has_the_sex_the_e_diary_would_record(demo):
    """Students as school.py gives them, parents as father and mother, teachers by patronymic (issue 11, item 8)."""
    people = {p.id: p for p in await demo.list_people()}
    assert all(p.sex is not None for p in people.values())
    for person in people.values():
        feminine = person.full_name.split()[-1].endswith("вна") or person.full_name.split()[-1].endswith("чна")
        assert person.sex == (Sex.FEMALE if feminine else Sex.MALE), person.full_name
    assert (people["s01"].full_name, people["s01"].sex) == ("Иванов Артём Алексеевич", Sex.MALE)
    assert (people["s02"].full_name, people["s02"].sex) == ("Петрова Анна Сергеевна", Sex.FEMALE)
    assert [people[p].sex for p in ("p01", "p02")] == [Sex.MALE, Sex.FEMALE]  # Ивановы: father, mother
    assert [people[t].sex for t in ("t01", "t02")] == [Sex.FEMALE, Sex.MALE]  # Белова Е. В., Кузнецов А. Н.
    student = await demo.get_student("s02")
    assert student is not None and student.person.sex == Sex.FEMALE


async def test_a_demo_file_from_before_the_sex_column_still_opens_and_gets_it(tmp_path):
    path = tmp_path / "old-demo.sqlite3"
    await (await DemoProvider.open(path, clock_at(TODAY))).close()
    conn = await aiosqlite.connect(path)
    await conn.execute("ALTER TABLE people DROP COLUMN sex")  # the file as an older version left it
    await conn.commit()
    await conn.close()

    reopened = await DemoProvider.open(path, clock_at(TODAY))
    try:
        assert (await reopened.get_person("t01")).sex == Sex.FEMALE
        assert (await reopened.get_person("p01")).sex == Sex.MALE
        assert all(p.sex is not None for p in await reopened.list_people())
    finally:
        await reopened.close()
