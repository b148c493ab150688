"""DemoProvider behaviour: determinism, top-up, substitutions, visibility of outside changes, messaging."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.config import SettingsError, load_settings
from bot.ediary import open_provider
from bot.ediary.demo import DemoProvider, commands
from bot.ediary.model import LessonStatus, Role
from bot.ediary.provider import EdiaryProvider, NotSupported, ProviderError, ProviderUnavailable

TODAY = date(2026, 11, 25)
YEAR_START = date(2026, 9, 1)


def clock_at(day: date, hour: int = 10) -> ManualClock:
    return ManualClock(datetime(day.year, day.month, day.day, hour), "Europe/Moscow")


async def snapshot(p: DemoProvider, until: date) -> dict:
    result = {"people": await p.list_people()}
    ahead = until + timedelta(days=14)
    for class_name in await p.list_classes():
        result[class_name] = (
            [
                (g.id, g.student_id, g.fingerprint(), g.teacher_id, g.lesson_id)
                for g in await p.class_grades(class_name, YEAR_START, until)
            ],
            [(lesson.id, lesson.fingerprint()) for lesson in await p.class_lessons(class_name, YEAR_START, ahead)],
            [(h.id, h.fingerprint()) for h in await p.class_homework(class_name, YEAR_START, ahead)],
        )
    return result


@pytest.fixture
async def demo(tmp_path):
    provider = await DemoProvider.open(tmp_path / "demo.sqlite3", clock_at(TODAY))
    yield provider
    await provider.close()


async def test_implements_the_protocol(demo):
    assert isinstance(demo, EdiaryProvider)
    assert demo.name == "demo"
    caps = demo.capabilities
    assert caps.substitutions and caps.messaging and caps.final_marks


async def test_two_fresh_files_hold_the_same_school(tmp_path):
    first = await DemoProvider.open(tmp_path / "a.sqlite3", clock_at(TODAY))
    second = await DemoProvider.open(tmp_path / "b.sqlite3", clock_at(TODAY))
    try:
        assert await snapshot(first, TODAY) == await snapshot(second, TODAY)
    finally:
        await first.close()
        await second.close()


async def test_reopening_on_a_later_day_tops_up_like_a_fresh_seed(tmp_path):
    later = TODAY + timedelta(days=6)
    old = await DemoProvider.open(tmp_path / "old.sqlite3", clock_at(TODAY))
    assert max(g.date for g in await old.class_grades("5А", YEAR_START, later)) == TODAY
    await old.close()
    reopened = await DemoProvider.open(tmp_path / "old.sqlite3", clock_at(later))
    fresh = await DemoProvider.open(tmp_path / "fresh.sqlite3", clock_at(later))
    try:
        assert max(g.date for g in await reopened.class_grades("5А", YEAR_START, later)) == later  # a Tuesday
        assert await snapshot(reopened, later) == await snapshot(fresh, later)
    finally:
        await reopened.close()
        await fresh.close()


async def test_a_running_provider_tops_up_after_midnight(tmp_path):
    clock = clock_at(TODAY)
    provider = await DemoProvider.open(tmp_path / "demo.sqlite3", clock)
    try:
        before = await provider.class_grades("9В", YEAR_START, TODAY + timedelta(days=1))
        clock.advance(days=1)
        after = await provider.class_grades("9В", YEAR_START, TODAY + timedelta(days=1))
        new = [g for g in after if g not in before]
        assert new and all(g.date == TODAY + timedelta(days=1) for g in new)
    finally:
        await provider.close()


async def test_substitution_shows_in_class_and_substitute_lessons(demo):
    day = date(2026, 11, 30)
    lesson = (await demo.class_lessons("5А", day, day))[0]
    regular = lesson.teacher_id
    busy = {
        other.teacher_id
        for c in await demo.list_classes()
        for other in await demo.class_lessons(c, day, day)
        if other.number == lesson.number
    }
    substitute = next(p.id for p in await demo.list_people(role=Role.TEACHER) if p.id not in busy)
    changed = await commands.change_lesson(demo, "5А", day, lesson.number, teacher=substitute, reason="болезнь учителя")
    assert (changed.status, changed.teacher_id, changed.original_teacher_id) == (
        LessonStatus.SUBSTITUTED,
        substitute,
        regular,
    )
    assert changed.id == lesson.id and changed.key == lesson.key and changed.fingerprint() != lesson.fingerprint()
    assert changed in await demo.class_lessons("5А", day, day)
    assert changed in await demo.teacher_lessons(substitute, day, day)
    assert lesson.id not in [item.id for item in await demo.teacher_lessons(regular, day, day)]


async def test_cancellation_stays_in_class_and_teacher_lessons(demo):
    day = date(2026, 11, 30)
    lesson = (await demo.class_lessons("7Б", day, day))[-1]
    cancelled = await commands.change_lesson(demo, "7Б", day, lesson.number, cancel=True, reason="болезнь учителя")
    assert (cancelled.status, cancelled.reason, cancelled.teacher_id, cancelled.subject) == (
        LessonStatus.CANCELLED,
        "болезнь учителя",
        lesson.teacher_id,
        lesson.subject,
    )
    assert cancelled in await demo.teacher_lessons(lesson.teacher_id, day, day)


async def test_changes_from_another_process_show_on_the_next_query(tmp_path):
    path = tmp_path / "demo.sqlite3"
    bot_side = await DemoProvider.open(path, clock_at(TODAY))
    cli_side = await DemoProvider.open(path, clock_at(TODAY))
    try:
        before = await bot_side.class_grades("5А", TODAY, TODAY)
        grade = await commands.add_grade(cli_side, "s01", "Математика", "5")
        assert grade in await bot_side.class_grades("5А", TODAY, TODAY)
        await commands.change_grade(cli_side, grade.id, "4-")
        changed = next(g for g in await bot_side.student_grades("s01", TODAY, TODAY) if g.id == grade.id)
        assert (changed.value, changed.numeric) == ("4-", 4.0) and changed.fingerprint() != grade.fingerprint()
        await commands.delete_grade(cli_side, grade.id)
        assert await bot_side.class_grades("5А", TODAY, TODAY) == before
    finally:
        await bot_side.close()
        await cli_side.close()


async def test_send_message(demo):
    message = await demo.send_message("p01", "t01", "s01", "Здравствуйте! Артём болеет.")
    assert (message.sender_id, message.recipient_id, message.student_id) == ("p01", "t01", "s01")
    assert message.id and message.sent_at.startswith("2026-11-25T07:00")
    async with demo.conn.execute("SELECT text FROM messages") as cur:
        assert [r[0] for r in await cur.fetchall()] == ["Здравствуйте! Артём болеет."]
    with pytest.raises(ProviderError):
        await demo.send_message("p01", "t99", None, "?")


async def test_people_lookups(demo):
    student = await demo.get_student("s09")
    assert (student.class_name, student.person.role) == ("7Б", Role.STUDENT)
    assert await demo.get_student("p01") is None and await demo.get_teacher("s01") is None
    assert (await demo.get_person("t01")).role == Role.TEACHER
    assert [s.id for s in await demo.class_students("5а")] != []
    in_class = await demo.list_people("9В")
    assert {p.role for p in in_class} == set(Role)
    assert await demo.class_grades("10Я", YEAR_START, TODAY) == []


async def test_unopenable_file_is_provider_unavailable(tmp_path):
    with pytest.raises(ProviderUnavailable, match="is a directory"):
        await DemoProvider.open(tmp_path, clock_at(TODAY))
    (tmp_path / "file").write_text("")
    with pytest.raises(ProviderUnavailable):
        await DemoProvider.open(tmp_path / "file" / "demo.sqlite3", clock_at(TODAY))  # parent is a file


async def test_open_provider_factory(tmp_path):
    settings = load_settings(ediary_provider="demo", demo_database_path=tmp_path / "d.sqlite3")
    provider = await open_provider(settings, clock_at(TODAY))
    try:
        assert isinstance(provider, DemoProvider)
    finally:
        await provider.close()
    with pytest.raises(SettingsError, match="EDIARY_PROVIDER"):
        load_settings(ediary_provider="netschool")


async def test_concurrent_queries_after_midnight_top_up_once(tmp_path):
    clock = clock_at(TODAY)
    provider = await DemoProvider.open(tmp_path / "demo.sqlite3", clock)
    try:
        clock.advance(days=1)
        day = TODAY + timedelta(days=1)
        results = await asyncio.gather(*(provider.class_grades(c, day, day) for c in ["5А", "7Б", "9В"] * 3))
        assert all(results) and results[:3] == results[3:6] == results[6:]
    finally:
        await provider.close()


async def test_class_schedule_is_the_lessons_homework_and_marks_in_one_call(demo):
    monday, sunday, tomorrow = date(2026, 11, 23), date(2026, 11, 29), TODAY + timedelta(days=1)
    first = (await demo.class_lessons("5А", tomorrow, tomorrow))[0]
    await commands.change_lesson(demo, "5А", tomorrow, first.number, room="101", reason="ремонт")
    schedule = await demo.class_schedule("5А", monday, sunday)
    assert (schedule.class_name, schedule.start, schedule.end) == ("5А", monday, sunday)
    assert list(schedule.lessons) == await demo.class_lessons("5А", monday, sunday)
    assert list(schedule.homework) == await demo.class_homework("5А", monday, sunday)
    assert list(schedule.grades) == await demo.class_grades("5А", monday, sunday)
    assert schedule.lessons and schedule.homework and schedule.grades  # nothing compared empty to empty
    assert any(lesson.status == LessonStatus.ROOM_CHANGED for lesson in schedule.lessons)
    assert all(monday <= h.due <= sunday for h in schedule.homework)
    assert all(monday <= g.date <= TODAY for g in schedule.grades)  # a future day simply has no marks
    unknown = await demo.class_schedule("10Я", monday, sunday)
    assert (unknown.lessons, unknown.homework, unknown.grades) == ((), (), ())


async def test_per_student_mode_reads_only_students(tmp_path):
    settings = load_settings(ediary_provider="demo", demo_database_path=tmp_path / "d.sqlite3", demo_per_student=True)
    provider = await open_provider(settings, clock_at(TODAY))
    try:
        assert provider.capabilities.class_reads is False
        for read in ("class_grades", "class_lessons", "class_homework", "class_schedule"):
            with pytest.raises(NotSupported, match="per-student"):
                await getattr(provider, read)("5А", TODAY, TODAY)
        with pytest.raises(NotSupported):
            await provider.teacher_lessons("t01", TODAY, TODAY)
        mine = await provider.student_schedule("s01", TODAY, TODAY)
        assert mine.class_name == "5А" and mine.lessons and mine.grades
        assert {g.student_id for g in mine.grades} == {"s01"}  # only their own marks
        assert [g.id for g in mine.grades] == [g.id for g in await provider.student_grades("s01", TODAY, TODAY)]
        assert [s.id for s in await provider.children_of("p01")]  # people reads stay
    finally:
        await provider.close()
