"""Ten parents of one class pressing /today at 7:45 cost the e-diary ONE call: the class's schedule (lessons,
homework and marks together), kept briefly and shared by concurrent presses."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime

from tests.harness import eventually
from tests.timetable_fakes import CountingProvider, app_with

# ten accounts of 5А: eight single-child parents and two students
CLASS_5A = [
    ("p05", "parent"),
    ("p06", "parent"),
    ("p07", "parent"),
    ("p08", "parent"),
    ("p09", "parent"),
    ("p10", "parent"),
    ("p11", "parent"),
    ("p12", "parent"),
    ("s01", "student"),
    ("s02", "student"),
]
MORNING = datetime(2026, 11, 25, 7, 45)
ONE_SCHEDULE = Counter({"class_schedule": 1})


async def linked_class(app) -> list:
    users = []
    for user_id, (person, role) in enumerate(CLASS_5A, start=100):
        await app.link(user_id, person, role)
        users.append(app.client(user_id))
    return users


async def test_ten_users_of_one_class_cost_one_call(settings, clock, provider) -> None:
    clock.set(MORNING)
    ediary = CountingProvider(provider)
    async with app_with(settings, clock, ediary) as app:
        users = await linked_class(app)
        for user in users:
            await user.send("/today")
            assert "👤" in user.last_message().text and "5А" in user.last_message().text
        assert ediary.calls_naming("5А") == ONE_SCHEDULE  # every read about 5А, whatever the method
        assert ediary.calls["student_grades"] == 0
        student = users[8].last_message().text  # s01: the one call brought homework and marks too
        assert "📝 Д/з" in student and "✅ Оценка" in student


async def test_concurrent_presses_share_the_call_in_flight(settings, clock, provider) -> None:
    clock.set(MORNING)
    ediary = CountingProvider(provider)
    async with app_with(settings, clock, ediary) as app:
        users = await linked_class(app)
        cache = app.ctx.provider_cache
        ediary.hold("class_schedule")
        presses = [asyncio.create_task(user.send("/today")) for user in users]
        await eventually(lambda: cache.stats["joined"] >= 9, "all ten waiting on the one call in flight")
        assert ediary.calls_naming("5А") == ONE_SCHEDULE
        ediary.release()
        await asyncio.gather(*presses)
        assert ediary.calls_naming("5А") == ONE_SCHEDULE
        assert all("5А" in user.last_message().text for user in users)


async def test_the_answer_expires_after_the_ttl(settings, clock, provider) -> None:
    clock.set(MORNING)
    ediary = CountingProvider(provider)
    async with app_with(settings, clock, ediary) as app:
        users = await linked_class(app)
        await users[0].send("/today")
        clock.advance(seconds=59)
        await users[1].send("/today")
        assert ediary.calls_naming("5А") == ONE_SCHEDULE
        clock.advance(seconds=2)
        await users[2].send("/today")
        assert ediary.calls_naming("5А") == Counter({"class_schedule": 2})


async def test_another_class_or_another_day_is_its_own_call(settings, clock, provider) -> None:
    clock.set(MORNING)
    ediary = CountingProvider(provider)
    async with app_with(settings, clock, ediary) as app:
        await app.link(1, "p05", "parent")  # 5А
        await app.link(2, "p13", "parent")  # 7Б
        first, second = app.client(1), app.client(2)
        await first.send("/today")
        await second.send("/today")
        assert ediary.calls["class_schedule"] == 2
        await first.send("/tomorrow")
        assert ediary.calls["class_schedule"] == 3
        await first.send("/tomorrow")
        assert ediary.calls["class_schedule"] == 3
        assert ediary.calls_naming("5А") == Counter({"class_schedule": 2})  # today and tomorrow


async def test_a_teacher_shares_the_schedules_of_their_classes(settings, clock, provider) -> None:
    clock.set(MORNING)
    ediary = CountingProvider(provider)
    async with app_with(settings, clock, ediary) as app:
        users = await linked_class(app)
        for user in users:
            await user.send("/today")
        await app.link(1, "t01", "teacher")  # Белова teaches Mathematics in 5А and 7Б
        teacher = app.client(1)
        await teacher.send("/today")
        assert "Математика" in teacher.last_message().text
        assert ediary.calls_naming("5А") == ONE_SCHEDULE  # the families' call, from the cache
        assert ediary.calls_naming("7Б") == ONE_SCHEDULE
        assert ediary.calls["teacher_lessons"] == 1
        await teacher.send("/today")
        assert ediary.calls["class_schedule"] + ediary.calls["teacher_lessons"] == 3
