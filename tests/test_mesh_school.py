"""МЭШ provider in school mode (a staff token): every protocol method against the fake host."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.ediary.mesh.school import SchoolProvider
from bot.ediary.model import LessonStatus, Role, Sex
from bot.ediary.provider import EdiaryProvider, NotSupported
from tests.fakes.mesh.connect import open_on
from tests.fakes.mesh_server import GROUPS, MARKS, SCHEDULE_ITEMS, STUDENT_PROFILES, MeshFakeServer

MONDAY, TUESDAY, FRIDAY = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 27)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[MeshFakeServer]:
    async with MeshFakeServer(now=clock.now) as server:
        yield server


@pytest.fixture
async def school(fake: MeshFakeServer, clock: ManualClock) -> AsyncIterator[SchoolProvider]:
    provider = await open_on(fake, clock)
    assert isinstance(provider, SchoolProvider)
    yield provider
    await provider.close()


async def test_a_staff_profile_opens_school_mode(school: SchoolProvider) -> None:
    assert isinstance(school, EdiaryProvider)
    caps = school.capabilities
    assert (caps.class_reads, caps.substitutions, caps.messaging, caps.final_marks) == (True, True, False, True)
    assert school.session.profile.kind == "teacher"
    with pytest.raises(NotSupported):
        await school.send_message("5001", "7001", None, "hello")


async def test_classes_pupils_teachers_and_subjects(school: SchoolProvider) -> None:
    assert await school.list_classes() == ["7-А", "7-Б"]
    pupils = await school.class_students("7-А")
    assert [s.person.full_name for s in pupils] == [
        "Васильев Иван Ильич",
        "Иванов Пётр Андреевич",
        "Смирнова Мария Олеговна",
    ]
    assert pupils[1].id == "9001" and pupils[1].person.sex == Sex.MALE and pupils[1].class_name == "7-А"
    assert [s.name for s in await school.class_subjects("7-Б")] == [
        "Английский язык",
        "История",
        "Математика",
        "Русский язык",
    ]
    teachers = await school.class_teachers("7-Б")
    assert teachers[0].id == "5002" and teachers[0].homeroom_class == "7-Б"  # the homeroom teacher first
    assert {t.id for t in teachers} == {"5001", "5002", "5003"}
    teacher = await school.get_teacher("5002")
    assert teacher is not None
    assert (teacher.subjects, teacher.classes) == (("История", "Русский язык"), ("7-А", "7-Б"))
    assert await school.get_teacher("9001") is None
    assert await school.class_students("9-Я") == [] and await school.class_teachers("9-Я") == []


async def test_people_and_relations(school: SchoolProvider) -> None:
    student = await school.get_student("9004")
    assert student is not None and (student.class_name, student.person.full_name) == ("7-Б", "Иванова Ольга Андреевна")
    assert [p.id for p in await school.parents_of("9004")] == ["7001"]
    assert [s.id for s in await school.children_of("7001")] == ["9001", "9004"]
    parent = await school.get_person("7001")
    assert parent is not None and parent.role == Role.PARENT and parent.sex == Sex.FEMALE
    teacher = await school.get_person("5003")
    assert teacher is not None and teacher.role == Role.TEACHER
    assert await school.get_person("nobody") is None
    people = await school.list_people("7-Б")
    assert [(p.role, p.id) for p in people][:3] == [
        (Role.STUDENT, "9004"),
        (Role.STUDENT, "9005"),
        (Role.PARENT, "7001"),
    ]
    assert {p.id for p in await school.list_people(role=Role.TEACHER)} == {"5001", "5002", "5003"}
    assert len(await school.list_people()) == 5 + 2 + 3


async def test_periods_and_final_marks(school: SchoolProvider) -> None:
    periods = await school.periods()
    assert [p.name for p in periods] == ["1 четверть", "2 четверть", "3 четверть", "4 четверть"]
    assert periods[1].contains(date(2026, 11, 25))
    finals = await school.final_marks("9001")
    assert {(f.subject, f.period_id, f.value) for f in finals} >= {("Математика", "301", "5"), ("История", "301", "4")}


async def test_class_grades_with_weight_work_type_and_comment(school: SchoolProvider) -> None:
    grades = await school.class_grades("7-А", MONDAY, FRIDAY)
    by_student = {(g.student_id, g.subject): g for g in grades}
    test = by_student[("9001", "Математика")]
    assert (test.value, test.numeric, test.weight, test.work_type) == ("5", 5.0, 2.0, "Контрольная работа")
    assert test.teacher_id == "5001" and test.lesson_id is not None
    assert by_student[("9001", "История")].comment == "Не выучил даты"
    assert all(g.student_id in {"9001", "9002", "9003"} for g in grades)
    assert [g.id for g in await school.student_grades("9001", MONDAY, MONDAY)] == [test.id]


async def test_a_new_mark_and_a_correction_show_on_the_next_read(school: SchoolProvider, fake: MeshFakeServer) -> None:
    before = {g.id: g for g in await school.class_grades("7-Б", MONDAY, FRIDAY)}
    mark = fake.school.add_mark(9005, "История", "4-", date(2026, 11, 25), comment="Хорошо")
    added = {g.id: g for g in await school.class_grades("7-Б", MONDAY, FRIDAY)}
    assert set(added) - set(before) == {str(mark.id)}
    assert (added[str(mark.id)].value, added[str(mark.id)].numeric) == ("4-", 4.0)
    fake.school.correct_mark(mark.id, "5")
    corrected = {g.id: g for g in await school.class_grades("7-Б", MONDAY, FRIDAY)}
    assert corrected[str(mark.id)].value == "5"
    assert corrected[str(mark.id)].fingerprint() != added[str(mark.id)].fingerprint()


async def test_non_numeric_marks_keep_their_value(school: SchoolProvider) -> None:
    absent = next(g for g in await school.class_grades("7-Б", TUESDAY, TUESDAY) if g.student_id == "9005")
    assert (absent.value, absent.numeric) == ("н", None)


async def test_class_lessons_are_numbered_by_the_bells(school: SchoolProvider) -> None:
    lessons = await school.class_lessons("7-А", MONDAY, TUESDAY)
    assert len(lessons) == 8
    monday = [x for x in lessons if x.date == MONDAY]
    assert [(x.number, x.start.isoformat(), x.end.isoformat()) for x in monday][:2] == [
        (1, "08:30:00", "09:15:00"),
        (2, "09:30:00", "10:15:00"),
    ]
    assert monday[0].subject == "Математика" and monday[0].room == "201" and monday[0].teacher_id == "5001"
    assert {x.status for x in lessons} == {LessonStatus.NORMAL}


async def test_cancellation_and_substitution_are_mapped(school: SchoolProvider, fake: MeshFakeServer) -> None:
    cancelled = fake.school.lesson_at("7-А", TUESDAY, 2)
    replaced = fake.school.lesson_at("7-А", TUESDAY, 3)
    original = replaced.teacher_id
    fake.school.cancel_lesson(cancelled.id)
    fake.school.replace_lesson(replaced.id, 5003)
    lessons = {x.number: x for x in await school.class_lessons("7-А", TUESDAY, TUESDAY)}
    assert lessons[2].status == LessonStatus.CANCELLED
    assert lessons[3].status == LessonStatus.SUBSTITUTED
    assert (lessons[3].teacher_id, lessons[3].original_teacher_id) == ("5003", str(original))
    assert lessons[2].key == f"7-А|{TUESDAY.isoformat()}|2"  # a cancelled lesson keeps its slot

    covered = await school.teacher_lessons("5003", TUESDAY, TUESDAY)
    assert str(replaced.id) in {x.id for x in covered}  # the substitute's list has the covered lesson
    handed_over = await school.teacher_lessons(str(original), TUESDAY, TUESDAY)
    assert str(replaced.id) not in {x.id for x in handed_over}


async def test_parallel_subgroup_lessons_keep_distinct_keys(school: SchoolProvider, fake: MeshFakeServer) -> None:
    second = fake.school.split_group("7-А", "Английский язык", members=[9002], teacher_id=5002, room="305")
    first = fake.school.group_of("7-А", "Английский язык")
    lessons = await school.class_lessons("7-А", MONDAY, MONDAY)  # English is the third lesson on Monday
    english = [x for x in lessons if x.number == 3]
    assert {(x.group, x.teacher_id, x.room) for x in english} == {
        (str(first.id), "5003", "203"),
        (str(second.id), "5002", "305"),
    }
    assert len({x.key for x in lessons}) == len(lessons) == 5
    assert english[0].key == f"7-А|{MONDAY.isoformat()}|3|{english[0].group}"
    alone = next(x for x in lessons if x.number == 1)
    assert (alone.group, alone.key) == (None, f"7-А|{MONDAY.isoformat()}|1")  # a whole-class lesson: the plain key

    theirs = await school.student_schedule("9002", MONDAY, MONDAY)
    assert [(x.number, x.teacher_id) for x in theirs.lessons if x.subject == "Английский язык"] == [(3, "5002")]
    mine = await school.student_schedule("9001", MONDAY, MONDAY)
    assert [(x.number, x.teacher_id) for x in mine.lessons if x.subject == "Английский язык"] == [(3, "5003")]
    assert {x.key for x in mine.lessons} <= {x.key for x in lessons}  # a pupil's lesson has the class's key


async def test_teacher_lessons_are_numbered_within_the_class_day(school: SchoolProvider) -> None:
    lessons = await school.teacher_lessons("5003", MONDAY, MONDAY)  # English: 3rd lesson in both classes
    assert [(x.class_name, x.number, x.subject) for x in lessons] == [
        ("7-А", 3, "Английский язык"),
        ("7-Б", 3, "Английский язык"),
    ]


async def test_homework_and_class_schedule(school: SchoolProvider, fake: MeshFakeServer) -> None:
    task = fake.school.add_homework("7-А", "История", date(2026, 11, 26), "Прочитать главу 5")
    homework = await school.class_homework("7-А", date(2026, 11, 26), date(2026, 11, 26))
    added = next(hw for hw in homework if hw.id == str(task.id))
    assert (added.subject, added.text, added.class_name) == ("История", "Прочитать главу 5", "7-А")
    assert added.assigned == date(2026, 11, 25)
    assert all(hw.due == date(2026, 11, 26) for hw in homework)

    schedule = await school.class_schedule("7-А", MONDAY, FRIDAY)
    assert schedule.lessons == tuple(await school.class_lessons("7-А", MONDAY, FRIDAY))
    assert schedule.homework == tuple(await school.class_homework("7-А", MONDAY, FRIDAY))
    assert schedule.grades == tuple(await school.class_grades("7-А", MONDAY, FRIDAY))


async def test_student_schedule_has_only_their_marks(school: SchoolProvider) -> None:
    schedule = await school.student_schedule("9001", MONDAY, TUESDAY)
    assert schedule.class_name == "7-А" and len(schedule.lessons) == 8
    assert {g.student_id for g in schedule.grades} == {"9001"} and len(schedule.grades) == 2
    assert (await school.student_schedule("nobody", MONDAY, TUESDAY)).lessons == ()


async def test_one_request_per_class_and_kind_when_polling(school: SchoolProvider, fake: MeshFakeServer) -> None:
    await school.class_schedule("7-А", MONDAY, FRIDAY)  # warms the directory (groups, year)
    fake.requests.clear()
    await school.class_grades("7-А", MONDAY, FRIDAY)
    await school.class_lessons("7-А", MONDAY, FRIDAY)
    await school.class_homework("7-А", MONDAY, FRIDAY)
    assert sorted(r.path.rsplit("/", 1)[1] for r in fake.requests) == ["homeworks", "marks", "schedule_items"]
    marks = fake.requests_to(MARKS)[0]
    assert marks.query["group_ids"] == "1011,1012,1013,1014"
    assert (marks.query["created_at_from"], marks.headers["x-mes-subsystem"]) == ("23.11.2026", "teacherweb")
    assert marks.headers["profile-id"] == "5001" and marks.headers["aid"] == "14"
    assert fake.requests_to(SCHEDULE_ITEMS)[0].headers["x-mes-subsystem"] == "journalw"


async def test_reference_data_is_cached_until_the_ttl(
    school: SchoolProvider, fake: MeshFakeServer, clock: ManualClock
) -> None:
    await school.class_students("7-А")
    await school.class_students("7-А")
    await school.list_classes()
    assert (len(fake.requests_to(GROUPS)), len(fake.requests_to(STUDENT_PROFILES))) == (1, 1)
    clock.advance(timedelta(hours=1, minutes=1))
    await school.class_students("7-А")
    assert (len(fake.requests_to(GROUPS)), len(fake.requests_to(STUDENT_PROFILES))) == (2, 2)


async def test_lists_are_followed_page_by_page(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock, per_page=3)
    try:
        lessons = await provider.class_lessons("7-А", MONDAY, FRIDAY)
        assert len(lessons) == 20
        pages = [r.query["page"] for r in fake.requests_to(SCHEDULE_ITEMS)]
        assert pages == [str(n) for n in range(1, 8)]  # 20 items by 3: six full pages and a short one
        assert {r.query["per_page"] for r in fake.requests_to(SCHEDULE_ITEMS)} == {"3"}
        assert await provider.list_classes() == ["7-А", "7-Б"]  # 8 groups over 3 pages
    finally:
        await provider.close()


async def test_the_academic_year_falls_back_to_the_date(fake: MeshFakeServer, clock: ManualClock) -> None:
    fake.break_endpoint("/api/ej/core/teacher/v1/academic_years", status=403)
    provider = await open_on(fake, clock)
    try:
        assert isinstance(provider, SchoolProvider)
        assert await provider.list_classes() == ["7-А", "7-Б"]
        year = await provider.year()
        assert (year.id, year.from_api, year.start) == ("14", False, date(2026, 9, 1))
        assert fake.requests_to(GROUPS)[0].headers["aid"] == "14"
    finally:
        await provider.close()
