"""The views' shared read (bot/ediary/reads.py): a student's schedule in one call, from the class where the
e-diary reads classes (shared by classmates through the cache), from the student otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from bot.clock import ManualClock
from bot.ediary.cached import CachedProvider, ProviderCache
from bot.ediary.demo import DemoProvider
from bot.ediary.reads import schedule_of
from tests.timetable_fakes import CountingProvider

DAY = date(2026, 11, 25)


@pytest.mark.parametrize("per_student", [False, True], ids=["class-reads", "per-student"])
async def test_a_students_schedule_in_either_mode(clock: ManualClock, provider: DemoProvider, per_student) -> None:
    counting = CountingProvider(provider)
    reader = CachedProvider(counting, ProviderCache(clock))
    artyom, classmate = await provider.get_student("s01"), await provider.get_student("s02")
    mine = await schedule_of(reader, artyom, DAY, DAY)
    theirs = await schedule_of(reader, classmate, DAY, DAY)
    assert mine.lessons == theirs.lessons and mine.lessons  # the same class's lessons
    own = [g for g in mine.grades if g.student_id == "s01"]
    assert own and [g.id for g in own] == [g.id for g in await provider.student_grades("s01", DAY, DAY)]
    if per_student:
        assert counting.calls == {"student_schedule": 2}
        assert {g.student_id for g in mine.grades} == {"s01"}
    else:
        assert counting.calls == {"class_schedule": 1}  # the classmate's from the cache
