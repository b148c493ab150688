"""DnevnikProvider against the fake Дневник.ру: every protocol method, ids beyond 2^53, data changing while
the bot runs, the request budget of a poll and the reference-data cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import Settings, SettingsError, load_settings
from bot.ediary import open_provider
from bot.ediary.dnevnik import open_dnevnik
from bot.ediary.dnevnik.client import RetryPolicy
from bot.ediary.dnevnik.provider import DnevnikProvider
from bot.ediary.model import LessonStatus, Role, Sex
from bot.ediary.provider import EdiaryProvider, NotSupported
from tests.fakes.dnevnik_school import QUARTERS, SUBJECTS, build_school, js_int
from tests.fakes.dnevnik_server import DnevnikFakeServer

TODAY = date(2026, 11, 25)  # a Wednesday
FAST = RetryPolicy(base_delay=0.01, max_delay=0.02, rate_limit_delay=0.01, rate_limit_budget=5)


def dnevnik_settings(fake: DnevnikFakeServer, tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"_env_file": None, "database_path": tmp_path / "bot.sqlite3", **fake.settings_values()}
    return load_settings(**(values | overrides))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.combine(TODAY, time(10, 0)), "Europe/Moscow")


@pytest.fixture
async def fake() -> AsyncIterator[DnevnikFakeServer]:
    async with DnevnikFakeServer() as server:
        yield server


@pytest.fixture
async def dnevnik(fake: DnevnikFakeServer, tmp_path: Path, clock: ManualClock) -> AsyncIterator[DnevnikProvider]:
    provider = await open_dnevnik(dnevnik_settings(fake, tmp_path), clock, policy=FAST)
    yield provider
    await provider.close()


def pupil(fake: DnevnikFakeServer, last: str, first: str) -> str:
    return fake.school.student(last, first).id


async def test_it_is_an_ediary_provider_with_honest_capabilities(dnevnik):
    assert isinstance(dnevnik, EdiaryProvider)
    caps = dnevnik.capabilities
    assert (caps.substitutions, caps.messaging, caps.final_marks, caps.class_reads) == (False, False, True, True)
    with pytest.raises(NotSupported):
        await dnevnik.send_message("a", "b", None, "Здравствуйте")
    status = dnevnik.auth_status()
    assert (status.expires_at, status.refreshable, status.problem) == (None, False, None)


async def test_classes_and_students_keep_ids_beyond_2_to_the_53(dnevnik, fake):
    assert await dnevnik.list_classes() == ["5А", "6Б"]  # the subgroup is not a class
    students = await dnevnik.class_students("5а")
    assert [s.person.full_name for s in students] == [
        "Иванов Пётр Сергеевич",
        "Новиков Артём Ильич",
        "Попов Кирилл Андреевич",
        "Смирнова Анна Олеговна",
    ]
    ivanov = students[0]
    assert ivanov.id == pupil(fake, "Иванов", "Пётр") and int(ivanov.id) > 2**53
    assert str(js_int(ivanov.id)) != ivanov.id  # the int in the JSON leads nowhere: only id_str was used
    assert (ivanov.class_name, ivanov.school, ivanov.person.sex) == ("5А", "МБОУ СОШ № 17", Sex.MALE)
    assert await dnevnik.get_student(ivanov.id) == ivanov
    assert await dnevnik.get_student("1") is None
    assert await dnevnik.class_students("9В") == []


async def test_parents_come_from_the_pupils_accounts(dnevnik, fake):
    ivanov = pupil(fake, "Иванов", "Пётр")
    parents = await dnevnik.parents_of(ivanov)
    assert [(p.full_name, p.role, p.sex) for p in parents] == [
        ("Иванова Елена Николаевна", Role.PARENT, Sex.FEMALE),
        ("Иванов Сергей Петрович", Role.PARENT, Sex.MALE),
    ]
    assert await dnevnik.parents_of(pupil(fake, "Попов", "Кирилл")) == []  # no login account, no relatives
    mother = (await dnevnik.parents_of(pupil(fake, "Новиков", "Илья")))[0]
    children = await dnevnik.children_of(mother.id)
    assert sorted((c.person.full_name, c.class_name) for c in children) == [
        ("Новиков Артём Ильич", "5А"),
        ("Новиков Илья Ильич", "6Б"),
    ]
    assert await dnevnik.get_person(mother.id) == mother
    assert await dnevnik.children_of(ivanov) == []


async def test_teachers_with_subjects_classes_and_homeroom(dnevnik):
    teachers = await dnevnik.class_teachers("5А")
    homeroom = teachers[0]
    assert (homeroom.person.full_name, homeroom.homeroom_class, homeroom.subjects) == (
        "Соколова Ирина Владимировна",
        "5А",
        ("Математика",),
    )
    assert {t.person.full_name for t in teachers} == {
        "Соколова Ирина Владимировна",
        "Кузнецов Андрей Петрович",
        "Лебедева Ольга Сергеевна",
        "Морозов Дмитрий Игоревич",
    }
    history = next(t for t in teachers if t.person.full_name.startswith("Морозов"))
    assert (history.subjects, history.classes, history.homeroom_class) == (
        ("История", "Физическая культура"),
        ("5А", "6Б"),
        None,
    )
    assert await dnevnik.get_teacher(history.id) == history
    assert (await dnevnik.get_person(history.id)).role == Role.TEACHER
    assert await dnevnik.get_teacher("42") is None
    assert (await dnevnik.class_teachers("6Б"))[0].homeroom_class == "6Б"


async def test_list_people_by_class_and_role(dnevnik):
    everyone = await dnevnik.list_people()
    roles = [p.role for p in everyone]
    assert (roles.count(Role.STUDENT), roles.count(Role.PARENT), roles.count(Role.TEACHER)) == (7, 6, 4)
    assert roles == sorted(roles, key=[Role.STUDENT, Role.PARENT, Role.TEACHER].index)
    in_6b = await dnevnik.list_people("6Б")
    assert {p.full_name for p in in_6b if p.role == Role.PARENT} == {
        "Волкова Татьяна Андреевна",
        "Новикова Светлана Юрьевна",
        "Фёдорова Ольга Викторовна",
    }
    assert [p.role for p in await dnevnik.list_people("5А", Role.TEACHER)] == [Role.TEACHER] * 4
    assert await dnevnik.list_people("10Я") == []


async def test_subjects_and_periods(dnevnik):
    assert [s.name for s in await dnevnik.class_subjects("6Б")] == sorted(SUBJECTS.values())
    periods = await dnevnik.periods()  # the API also lists last year's quarters
    assert [(p.name, p.start, p.end) for p in periods] == [
        (f"{n} четверть", start, end) for n, (start, end) in enumerate(QUARTERS[2026], start=1)
    ]


async def test_class_schedule_lessons_with_bell_times_homework_and_marks(dnevnik, fake):
    schedule = await dnevnik.class_schedule("6Б", TODAY, TODAY)
    school = fake.school
    group = school.group_by_name("6Б")
    expected = school.lessons_of(group.id, datetime.combine(TODAY, time()), datetime.combine(TODAY, time()))
    assert [(x.id, x.number, x.subject, x.teacher_id) for x in schedule.lessons] == [
        (x.id, x.number, SUBJECTS[x.subject], x.teacher) for x in expected
    ]
    assert all(x.status == LessonStatus.NORMAL and x.class_name == "6Б" for x in schedule.lessons)
    # 6Б's timetable gives unpadded times ("9:30:00"); lesson 1 starts an hour after 5А's
    assert (schedule.lessons[0].start, schedule.lessons[0].end) == (time(9, 30), time(10, 15))
    due = [w for w in school.works.values() if w.group == group.id and w.type == "Homework" and w.target == TODAY]
    assert {(h.id, h.subject, h.text, h.due) for h in schedule.homework} == {
        (w.id, SUBJECTS[w.subject], w.text, w.target) for w in due
    }
    assert all(h.assigned is not None and h.assigned < TODAY for h in schedule.homework)
    marks = [m for m in school.marks.values() if school.works[m.work].group == group.id and m.when.date() == TODAY]
    assert {(g.id, g.student_id, g.value, g.lesson_id) for g in schedule.grades} == {
        (m.id, m.person, m.value, m.lesson) for m in marks
    }


async def test_marks_weights_absences_and_unpadded_dates(dnevnik, fake):
    start = date(2026, 11, 5)
    grades = await dnevnik.class_grades("5А", start, TODAY)
    school = fake.school
    group = school.group_by_name("5А")
    marks = {
        m.id: m for m in school.marks.values() if school.works[m.work].group == group.id and start <= m.when.date()
    }
    assert {g.id for g in grades} == set(marks)
    assert any(m.unpadded for m in marks.values())  # "2026-11-5T9:7:3" dates are read too
    by_id = {g.id: g for g in grades}
    test = next(m for m in marks.values() if m.work_type == 102)
    assert (by_id[test.id].weight, by_id[test.id].work_type, by_id[test.id].subject) == (
        3.0,
        "Контрольная работа",
        "Математика",
    )
    absence = next(m for m in marks.values() if m.value == "н")
    assert (by_id[absence.id].numeric, by_id[absence.id].weight) == (None, 1.0)
    assert next(g for g in grades if g.value == "4-").numeric == 4.0
    lesson = school.lessons[test.lesson]
    assert by_id[test.id].teacher_id == lesson.teacher and by_id[test.id].date == test.when.date()


async def test_a_poll_of_a_class_costs_two_requests(dnevnik, fake):
    window = (TODAY - timedelta(days=14), TODAY + timedelta(days=7))
    await dnevnik.class_schedule("5А", *window)  # first time: reference data too
    before = len(fake.requests)
    again = await dnevnik.class_schedule("5А", *window)
    asked = [r.path.split("/")[2] for r in fake.requests[before:]]
    assert sorted(asked) == ["lessons", "marks"]
    assert again.lessons and again.homework and again.grades


async def test_one_class_schedule_gives_what_the_polls_three_reads_give_for_half_the_requests(dnevnik, fake):
    """What the poller may call instead of class_grades + class_lessons + class_homework: one class_schedule
    over the union of its windows, filtered to each window."""
    grade_window = (TODAY - timedelta(days=14), TODAY)
    lesson_window = (TODAY, TODAY + timedelta(days=1))
    homework_window = (TODAY, TODAY + timedelta(days=7))
    await dnevnik.class_schedule("5А", grade_window[0], homework_window[1])  # reference data in the cache
    before = len(fake.requests)
    grades = await dnevnik.class_grades("5А", *grade_window)
    lessons = await dnevnik.class_lessons("5А", *lesson_window)
    homework = await dnevnik.class_homework("5А", *homework_window)
    assert len(fake.requests) - before == 4
    before = len(fake.requests)
    union = await dnevnik.class_schedule("5А", grade_window[0], homework_window[1])
    assert len(fake.requests) - before == 2
    assert [g for g in union.grades if grade_window[0] <= g.date <= grade_window[1]] == grades
    assert [x for x in union.lessons if lesson_window[0] <= x.date <= lesson_window[1]] == lessons
    assert [h for h in union.homework if homework_window[0] <= h.due <= homework_window[1]] == homework
    assert grades and lessons and homework


async def test_changes_in_the_ediary_show_up_on_the_next_read(dnevnik, fake):
    ivanov = pupil(fake, "Иванов", "Пётр")
    group = fake.school.group_by_name("5А")
    lesson = fake.school.lessons_of(group.id, datetime(2026, 11, 25), datetime(2026, 11, 25))[0]
    mark_id = fake.add_mark(ivanov, lesson.id, "5", datetime(2026, 11, 25, 9, 0, 1, 250))
    added = next(g for g in await dnevnik.class_grades("5А", TODAY, TODAY) if g.id == mark_id)
    assert (added.value, added.student_id, added.subject) == ("5", ivanov, SUBJECTS[lesson.subject])
    fake.set_mark(mark_id, "3")
    corrected = next(g for g in await dnevnik.class_grades("5А", TODAY, TODAY) if g.id == mark_id)
    assert corrected.value == "3" and corrected.fingerprint() != added.fingerprint()
    fake.remove_mark(mark_id)
    assert mark_id not in {g.id for g in await dnevnik.class_grades("5А", TODAY, TODAY)}


async def test_a_late_mark_finds_its_subject_through_its_lesson_once(dnevnik, fake):
    ivanov = pupil(fake, "Иванов", "Пётр")
    group = fake.school.group_by_name("5А")
    old = fake.school.lessons_of(group.id, datetime(2026, 10, 5), datetime(2026, 10, 5))[2]
    mark_id = fake.add_mark(ivanov, old.id, "4", datetime(2026, 11, 24, 16, 0))
    for _ in range(2):
        grades = await dnevnik.class_grades("5А", date(2026, 11, 24), TODAY)
        late = next(g for g in grades if g.id == mark_id)
        assert (late.subject, late.lesson_id, late.date) == (SUBJECTS[old.subject], old.id, date(2026, 11, 24))
    assert [r.path for r in fake.requests if r.path.startswith("lessons/")] == [f"lessons/{old.id}"]


async def test_student_schedule_is_one_request_with_rooms_and_own_marks(dnevnik, fake):
    ivanov = pupil(fake, "Иванов", "Пётр")
    await dnevnik.class_schedule("5А", TODAY, TODAY)  # warm the reference data and the rosters
    await dnevnik.get_student(ivanov)
    before = len(fake.requests)
    week = await dnevnik.student_schedule(ivanov, date(2026, 11, 23), date(2026, 11, 27))
    assert [r.path.split("/")[-1] for r in fake.requests[before:]] == ["schedules"]
    assert week.class_name == "5А" and len(week.lessons) == 19
    assert all(x.room for x in week.lessons)
    assert week.homework and all(date(2026, 11, 23) <= h.due <= date(2026, 11, 27) for h in week.homework)
    own = {m.id for m in fake.school.marks.values() if m.person == ivanov and m.when.date() >= date(2026, 11, 23)}
    assert {g.id for g in week.grades} == own
    assert (await dnevnik.student_schedule("1", TODAY, TODAY)).lessons == ()


async def test_student_grades_page_through_recent_marks(dnevnik, fake):
    ivanov = pupil(fake, "Иванов", "Пётр")
    start = date(2026, 9, 1)
    grades = await dnevnik.student_grades(ivanov, start, TODAY)
    own = {m.id: m for m in fake.school.marks.values() if m.person == ivanov}
    assert len(own) > 100  # more than one page
    assert sorted(g.id for g in grades) == sorted(own)
    assert len(fake.requests_to("recentmarks")) >= 2
    assert all(g.subject in SUBJECTS.values() for g in grades)
    recent = await dnevnik.student_grades(ivanov, date(2026, 11, 20), date(2026, 11, 23))
    assert {g.id for g in recent} == {
        m.id for m in own.values() if date(2026, 11, 20) <= m.when.date() <= date(2026, 11, 23)
    }


async def test_final_marks_of_the_first_quarter(dnevnik, fake):
    ivanov = pupil(fake, "Иванов", "Пётр")
    finals = await dnevnik.final_marks(ivanov)
    first_quarter = (await dnevnik.periods())[0]
    expected = {
        (SUBJECTS[fake.school.works[m.work].subject], m.value)
        for m in fake.school.finals.values()
        if m.person == ivanov
    }
    assert {(f.subject, f.value) for f in finals} == expected
    assert {f.period_id for f in finals} == {first_quarter.id} and {f.student_id for f in finals} == {ivanov}


async def test_teacher_lessons_across_classes(dnevnik, fake):
    history = next(t for t in fake.school.teachers.values() if t.person.last == "Морозов").person.id
    lessons = await dnevnik.teacher_lessons(history, date(2026, 11, 23), date(2026, 11, 27))
    expected = [
        x
        for x in fake.school.lessons.values()
        if x.teacher == history and date(2026, 11, 23) <= x.day <= date(2026, 11, 27)
    ]
    assert sorted(x.id for x in lessons) == sorted(x.id for x in expected)
    assert {x.class_name for x in lessons} == {"5А", "6Б"}
    assert lessons == sorted(lessons, key=lambda x: (x.date, x.number, x.class_name))


async def test_reference_data_is_kept_by_the_clock(dnevnik, fake, clock):
    for _ in range(3):
        await dnevnik.class_schedule("5А", TODAY, TODAY)
    assert len(fake.requests_to("work-types/")) == 1 and len(fake.requests_to("/timetables")) == 1
    clock.advance(hours=7)
    await dnevnik.class_schedule("5А", TODAY, TODAY)
    assert len(fake.requests_to("work-types/")) == 2 and len(fake.requests_to("/timetables")) == 2


async def test_the_school_is_found_from_the_token_when_it_sees_one(fake, tmp_path, clock):
    settings = dnevnik_settings(fake, tmp_path, dnevnik_school_id=None)
    provider = await open_provider(settings, clock)
    try:
        assert isinstance(provider, DnevnikProvider) and provider.school_id == fake.school.id
    finally:
        await provider.close()
    fake.extra_schools.append(("1152921504606847017", "Гимназия № 2"))
    with pytest.raises(SettingsError, match=r"DNEVNIK_SCHOOL_ID .* 2 schools: .*МБОУ СОШ № 17.*Гимназия № 2"):
        await open_dnevnik(settings, clock)


async def test_no_token_at_all_is_a_settings_error(fake, tmp_path, clock):
    with pytest.raises(SettingsError, match="DNEVNIK_TOKEN is not set"):
        await open_dnevnik(dnevnik_settings(fake, tmp_path, dnevnik_token=None), clock)


async def test_the_v2_0_spelling_of_the_api_base_works_too(fake, tmp_path, clock):
    settings = dnevnik_settings(fake, tmp_path, dnevnik_api_url=fake.url + ".0/")
    provider = await open_dnevnik(settings, clock, policy=FAST)
    try:
        assert await provider.list_classes() == ["5А", "6Б"]
    finally:
        await provider.close()


async def test_class_lessons_and_homework_each_cost_one_request(dnevnik, fake):
    monday, friday = date(2026, 11, 23), date(2026, 11, 27)
    week = await dnevnik.class_schedule("5А", monday, friday)
    before = len(fake.requests)
    lessons = await dnevnik.class_lessons("5А", monday, friday)
    homework = await dnevnik.class_homework("5А", monday, friday)
    assert (tuple(lessons), tuple(homework)) == (week.lessons, week.homework)
    asked = fake.requests[before:]
    assert [r.path.split("/")[2] for r in asked] == ["lessons", "lessons"]
    # homework due this week was set on lessons up to two weeks before it
    assert asked[0].path.endswith(f"/{monday}T00:00:00/{friday}T23:59:59")
    assert asked[1].path.endswith(f"/{monday - timedelta(days=14)}T00:00:00/{friday}T23:59:59")
    assert min(h.assigned for h in homework if h.assigned) < monday
    assert await dnevnik.class_lessons("10Я", monday, friday) == []
    assert await dnevnik.class_homework("10Я", monday, friday) == []


async def test_a_record_missing_a_field_is_skipped_and_logged_once(dnevnik, fake, caplog):
    def damage(marks: list[dict]) -> list[dict]:
        marks[0]["value"] = {"unexpected": True}  # a wrong type
        del marks[1]["person_str"]  # only the imprecise int is left: not trusted
        return marks

    fake.rewrite("edu-groups/*/marks/*", damage)
    start = date(2026, 11, 16)
    for _ in range(2):
        grades = await dnevnik.class_grades("5А", start, TODAY)
    school = fake.school
    group = school.group_by_name("5А")
    marks = sorted(
        (m for m in school.marks.values() if school.works[m.work].group == group.id and m.when.date() >= start),
        key=lambda m: (m.when, m.id),
    )
    assert {g.id for g in grades} == {m.id for m in marks[2:]}
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.ediary.dnevnik.fields"]
    assert len(warnings) == 2
    assert "edu-groups/{g}/marks: field 'value'" in warnings[0] and "person_str" in warnings[1]


async def test_the_fake_school_moved_to_another_week_keeps_its_shape(tmp_path):
    """build_school(today) is what the end-to-end tests run on the real clock: lessons this week, the year's
    quarters around today, marks until the Wednesday before."""
    today = date(2028, 2, 16)  # a Wednesday of another school year
    clock = ManualClock(datetime.combine(today, time(10, 0)), "Europe/Moscow")
    async with DnevnikFakeServer(build_school(today)) as fake:
        provider = await open_dnevnik(dnevnik_settings(fake, tmp_path), clock, policy=FAST)
        try:
            schedule = await provider.class_schedule("5А", today - timedelta(days=9), today)
            assert [x.subject for x in schedule.lessons if x.date == today] == [
                "Математика", "Русский язык", "История", "Физическая культура"
            ]  # fmt: skip
            assert max(g.date for g in schedule.grades) == today - timedelta(days=7)
            periods = await provider.periods()
            assert any(p.contains(today) for p in periods) and periods[0].start.year == 2027
        finally:
            await provider.close()
