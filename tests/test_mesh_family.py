"""МЭШ provider in per-student mode (a parent's token seeing two children in two classes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest

from bot.clock import ManualClock
from bot.ediary.mesh.family import FamilyProvider
from bot.ediary.model import LessonStatus, Role, Sex
from bot.ediary.provider import EdiaryProvider, IncompleteAnswer, NotSupported
from tests.fakes.mesh.connect import open_on
from tests.fakes.mesh_server import EVENTS, FAMILY_PROFILE, MeshFakeServer

MONDAY, TUESDAY, FRIDAY = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 27)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[MeshFakeServer]:
    async with MeshFakeServer(now=clock.now) as server:
        yield server


@pytest.fixture
async def family(fake: MeshFakeServer, clock: ManualClock) -> AsyncIterator[FamilyProvider]:
    provider = await open_on(fake, clock, token=fake.family_token)
    assert isinstance(provider, FamilyProvider)
    yield provider
    await provider.close()


async def test_a_parent_profile_opens_per_student_mode(family: FamilyProvider) -> None:
    assert isinstance(family, EdiaryProvider)
    assert family.capabilities.class_reads is False
    assert family.capabilities.substitutions and family.capabilities.final_marks
    assert (family.session.profile.id, family.session.profile.kind) == ("7001", "parent")


@pytest.mark.parametrize(
    "read",
    [
        lambda p: p.class_grades("7-А", MONDAY, FRIDAY),
        lambda p: p.class_lessons("7-А", MONDAY, FRIDAY),
        lambda p: p.class_homework("7-А", MONDAY, FRIDAY),
        lambda p: p.class_schedule("7-А", MONDAY, FRIDAY),
        lambda p: p.teacher_lessons("5001", MONDAY, FRIDAY),
    ],
)
async def test_class_level_record_reads_are_not_supported(family: FamilyProvider, fake: MeshFakeServer, read) -> None:
    fake.requests.clear()
    with pytest.raises(NotSupported, match="per student"):
        await read(family)
    assert fake.requests == []  # decided without asking the e-diary


async def test_the_family_its_children_and_their_classes(family: FamilyProvider) -> None:
    assert await family.list_classes() == ["7-А", "7-Б"]
    children = await family.children_of("7001")
    assert [(c.id, c.class_name, c.school) for c in children] == [
        ("9001", "7-А", "Школа № 555"),
        ("9004", "7-Б", "Школа № 555"),
    ]
    assert [s.id for s in await family.class_students("7-Б")] == ["9004"]  # only what the token sees
    assert [p.id for p in await family.parents_of("9001")] == ["7001"]
    me = await family.get_person("7001")
    assert me is not None and (me.role, me.sex, me.full_name) == (
        Role.PARENT,
        Sex.FEMALE,
        "Иванова Светлана Викторовна",
    )
    student = await family.get_student("9004")
    assert student is not None and student.person.sex == Sex.FEMALE
    assert await family.get_student("9002") is None  # another family's child
    assert await family.get_teacher("5001") is None and await family.class_teachers("7-А") == []
    assert [p.id for p in await family.list_people("7-А")] == ["9001", "7001"]
    assert [p.id for p in await family.list_people(role=Role.STUDENT)] == ["9001", "9004"]


async def test_subjects_periods_and_final_marks(family: FamilyProvider) -> None:
    assert [s.name for s in await family.class_subjects("7-А")][:2] == ["Английский язык", "История"]
    assert await family.class_subjects("9-Я") == []
    periods = await family.periods()
    assert [p.name for p in periods] == ["1 четверть", "2 четверть", "3 четверть", "4 четверть"]
    finals = await family.final_marks("9004")
    assert {(f.subject, f.value) for f in finals} == {
        ("Математика", "5"),
        ("Русский язык", "4"),
        ("Английский язык", "5"),
        ("История", "4"),
    }
    assert {f.period_id for f in finals} == {periods[0].id}


async def test_student_grades_through_the_family_api(family: FamilyProvider, fake: MeshFakeServer) -> None:
    grades = await family.student_grades("9001", MONDAY, FRIDAY)
    assert [(g.subject, g.value, g.weight, g.work_type) for g in grades] == [
        ("Математика", "5", 2.0, "Контрольная работа"),
        ("История", "3", 1.0, "Ответ на уроке"),
    ]
    assert grades[1].comment == "Не выучил даты"
    request = fake.requests_to("/api/family/mobile/v1/marks")[0]
    assert (request.query["student_id"], request.query["from"], request.query["to"]) == (
        "9001",
        "2026-11-23",
        "2026-11-27",
    )
    assert (request.headers["x-mes-subsystem"], request.headers["profile-id"]) == ("familymp", "7001")
    assert await family.student_grades("9002", MONDAY, FRIDAY) == []


async def test_student_schedule_is_one_event_calendar_request(family: FamilyProvider, fake: MeshFakeServer) -> None:
    await family.family()
    fake.requests.clear()
    schedule = await family.student_schedule("9004", MONDAY, TUESDAY)
    [request] = fake.requests
    assert request.path == EVENTS and request.query["person_ids"] == "guid-9004"
    assert "marks" in request.query["expand"] and "homework" in request.query["expand"]
    assert request.headers["x-mes-role"] == "parent"
    assert schedule.class_name == "7-Б" and len(schedule.lessons) == 8
    first = schedule.lessons[0]
    assert (first.number, first.start.isoformat(), first.end.isoformat(), first.subject) == (
        1,
        "08:30:00",
        "09:15:00",
        "Математика",
    )
    assert [(g.subject, g.value, g.student_id) for g in schedule.grades] == [("Английский язык", "5", "9004")]
    assert schedule.grades[0].lesson_id is not None
    assert schedule.homework and all(MONDAY <= hw.due <= TUESDAY for hw in schedule.homework)
    assert {hw.class_name for hw in schedule.homework} == {"7-Б"}


async def test_cancelled_and_replaced_events(family: FamilyProvider, fake: MeshFakeServer) -> None:
    cancelled = fake.school.lesson_at("7-А", TUESDAY, 1)
    replaced = fake.school.lesson_at("7-А", TUESDAY, 4)
    original = replaced.teacher_id
    fake.school.cancel_lesson(cancelled.id)
    fake.school.replace_lesson(replaced.id, 5003)
    lessons = {x.number: x for x in (await family.student_schedule("9001", TUESDAY, TUESDAY)).lessons}
    assert lessons[1].status == LessonStatus.CANCELLED and lessons[1].id == str(cancelled.id)
    assert lessons[4].status == LessonStatus.SUBSTITUTED
    assert lessons[4].original_teacher_id == str(original)
    assert lessons[2].status == LessonStatus.NORMAL


async def test_a_child_in_a_subgroup_sees_its_own_lesson(family: FamilyProvider, fake: MeshFakeServer) -> None:
    second = fake.school.split_group("7-А", "Английский язык", members=[9001], teacher_id=5002, room="305")
    twin = next(x for x in fake.school.lessons.values() if x.group_id == second.id and x.day == MONDAY)
    lessons = (await family.student_schedule("9001", MONDAY, MONDAY)).lessons
    english = [x for x in lessons if x.subject == "Английский язык"]
    assert [(x.id, x.number, x.room) for x in english] == [(str(twin.id), 3, "305")]
    assert len(lessons) == 4 and all(x.group is None for x in lessons)  # no slot is shared in one child's day


async def test_a_new_mark_shows_in_the_next_schedule(family: FamilyProvider, fake: MeshFakeServer) -> None:
    before = await family.student_schedule("9001", date(2026, 11, 25), date(2026, 11, 25))
    mark = fake.school.add_mark(9001, "Русский язык", "4", date(2026, 11, 25))
    after = await family.student_schedule("9001", date(2026, 11, 25), date(2026, 11, 25))
    assert [g.id for g in after.grades] == [*[g.id for g in before.grades], str(mark.id)]
    assert after.grades[-1].subject == "Русский язык"


async def test_a_partial_event_answer_is_incomplete(family: FamilyProvider, fake: MeshFakeServer) -> None:
    await family.family()
    fake.break_endpoint(EVENTS, status=200, json_body={"total_count": 9, "response": [], "errors": None})
    with pytest.raises(IncompleteAnswer, match="0 of 9"):
        await family.student_schedule("9001", MONDAY, FRIDAY)
    fake.heal()
    fake.break_endpoint(EVENTS, status=200, json_body={"total_count": 0, "response": [], "errors": ["timeout"]})
    with pytest.raises(IncompleteAnswer, match="errors"):
        await family.student_schedule("9001", MONDAY, FRIDAY)


async def test_a_family_profile_without_children_list_is_incomplete(fake: MeshFakeServer, clock: ManualClock) -> None:
    fake.break_endpoint(FAMILY_PROFILE, status=200, json_body={"profile": {"id": 7001}})
    provider = await open_on(fake, clock, token=fake.family_token)
    try:
        with pytest.raises(IncompleteAnswer):
            await provider.list_classes()
    finally:
        await provider.close()
