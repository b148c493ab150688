"""Providers for timetable tests: the demo school seen through small, honest wrappers.

- CountingProvider counts every e-diary call, by method and by class named in its arguments (and can hold
  some calls to make requests overlap);
- NoSubstitutionsProvider is an e-diary that does not report substitutions (capabilities say so);
- FailingProvider's timetable calls fail as a down e-diary's would (while `down` is set);
- SaturdayProvider is a six-day school: one lesson on Saturday.
`app_with(settings, clock, provider)` runs the real dispatcher on such a provider.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import Counter
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import date, time
from typing import Any

from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.model import Capabilities, ClassSchedule, Lesson, LessonStatus
from bot.ediary.provider import ProviderUnavailable
from tests.conftest import App, running_app


class WrappedProvider:
    """Everything goes to the wrapped provider unless a subclass says otherwise."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def close(self) -> None:
        """The test's `provider` fixture closes the demo school itself."""


class CountingProvider(WrappedProvider):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.calls: Counter[str] = Counter()
        self.log: list[tuple[str, tuple[Any, ...]]] = []  # (method, positional arguments) of every call
        self.held: set[str] = set()
        self.gate = asyncio.Event()
        self.gate.set()

    def hold(self, *methods: str) -> None:
        """Calls of these methods wait (after being counted) until release()."""
        self.held = set(methods)
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def calls_naming(self, value: str) -> Counter[str]:
        """Calls, by method, whose arguments name `value` (a class name: every read about that class)."""
        return Counter(name for name, args in self.log if value in args)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            self.log.append((name, args + tuple(kwargs.values())))
            if name in self.held:
                await self.gate.wait()
            return await attr(*args, **kwargs)

        return counted


class NoSubstitutionsProvider(WrappedProvider):
    """An e-diary that only knows the regular timetable."""

    @property
    def capabilities(self) -> Capabilities:
        return replace(self.inner.capabilities, substitutions=False)

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        return [_as_planned(lesson) for lesson in await self.inner.class_lessons(class_name, start, end)]

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        schedule = await self.inner.class_schedule(class_name, start, end)
        return replace(schedule, lessons=tuple(_as_planned(lesson) for lesson in schedule.lessons))

    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        return [_as_planned(lesson) for lesson in await self.inner.teacher_lessons(teacher_id, start, end)]


class FailingProvider(WrappedProvider):
    """Timetable calls time out while `down` is set."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.down = True

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        if self.down:
            raise ProviderUnavailable("e-diary timeout")
        return await self.inner.class_lessons(class_name, start, end)

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        if self.down:
            raise ProviderUnavailable("e-diary timeout")
        return await self.inner.class_schedule(class_name, start, end)

    async def teacher_lessons(self, teacher_id: str, start: date, end: date) -> list[Lesson]:
        if self.down:
            raise ProviderUnavailable("e-diary timeout")
        return await self.inner.teacher_lessons(teacher_id, start, end)


class SaturdayProvider(WrappedProvider):
    """Adds a Saturday lesson of 5А (a club-style extra Mathematics lesson) to every week."""

    async def class_lessons(self, class_name: str, start: date, end: date) -> list[Lesson]:
        return await self.inner.class_lessons(class_name, start, end) + _saturdays(class_name, start, end)

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        schedule = await self.inner.class_schedule(class_name, start, end)
        return replace(schedule, lessons=schedule.lessons + tuple(_saturdays(class_name, start, end)))


def _saturdays(class_name: str, start: date, end: date) -> list[Lesson]:
    lessons = []
    day = start
    while day <= end:
        if day.weekday() == 5 and class_name == "5А":
            lessons.append(
                Lesson(f"sat-{day:%Y%m%d}", day, 1, time(9, 0), time(9, 45), "5А", "Математика", "204", "t01")
            )
        day = date.fromordinal(day.toordinal() + 1)
    return lessons


def _as_planned(lesson: Lesson) -> Lesson:
    return replace(
        lesson,
        status=LessonStatus.NORMAL,
        original_teacher_id=None,
        original_room=None,
        reason=None,
        teacher_id=lesson.original_teacher_id or lesson.teacher_id,
        room=lesson.original_room or lesson.room,
    )


def app_with(settings: Settings, clock: ManualClock, provider: Any) -> AbstractAsyncContextManager[App]:
    """An app on a wrapper provider; the app closes it."""
    return running_app(settings, clock, provider, close_provider=True)
