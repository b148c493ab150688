"""/events: the coming school events that concern the account, grouped by day, a page at a time in place.

The demo school on Wednesday 25 November 2026: p01 is the parent of Артём (5А) and Софья (9В); s01 is Артём;
t01 Белова teaches 5А and 7Б and leads 5А. Parent meetings: 5А on 3 December, 7Б on the 10th, 9В on the 17th.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from bot.ediary.demo import events as demo_events
from bot.ediary.model import Capabilities, EventAudience, EventKind, SchoolEvent
from bot.ediary.provider import ProviderUnavailable
from tests.conftest import App, running_app
from tests.messaging_story import buttons
from tests.timetable_fakes import WrappedProvider


async def test_a_parent_of_two_sees_the_school_and_both_childrens_classes_by_day(app: App) -> None:
    await app.link(501, "p01", "parent")
    parent = app.client(501)
    await parent.send("/events")
    text = parent.last_message().text
    assert text.startswith("📅 Ближайшие школьные события (страница 1 из 3)\n\nСегодня, ср, 25 ноября\n")
    assert "• 15:00–16:30 🏫 Интеллектуальная игра «Что? Где? Когда?» — Библиотека" in text
    assert "• 18:30–19:30 👪 Родительское собрание · родители 5А (Артём) — Каб. 204" in text
    assert "Успеваемость и посещаемость" not in text  # November's meeting of 5А is over
    assert "Итоги второй четверти" in text  # the description of December's
    assert "Классный час · 5А (Артём)" in text
    assert "Родительское собрание · родители 9В (Софья) — Каб. 212" in text
    assert text.index("25 ноября") < text.index("3 декабря") < text.index("4 декабря") < text.index("17 декабря")
    assert "7Б" not in text  # the other classes' events are not theirs

    first = parent.last_message()
    await parent.click(first, "Позже")
    later = parent.last_message()
    assert later.message_id == first.message_id  # edited in place
    assert later.text.startswith("📅 Ближайшие школьные события (страница 2 из 3)\n\nср, 23 декабря\n")
    assert "вт, 29 декабря\n• 🎉 Зимние каникулы (по 11 января)\n" in later.text
    assert "7Б" not in later.text
    assert buttons(later) == ["⬅️ Раньше", "Позже ➡️"]
    await parent.click(later, "Раньше")
    assert parent.last_message().text == text


async def test_a_student_sees_their_class_but_not_the_parents_meetings(app: App) -> None:
    await app.link(502, "s01", "student")
    student = app.client(502)
    await student.send("/events")
    text = student.last_message().text
    assert "Классный час · 5А — Каб. 204" in text  # no child's name: it is their own class
    assert "Родительское собрание" not in text
    assert "Интеллектуальная игра" in text
    app.clock.set(datetime(2026, 11, 25, 16, 31))  # it ended at 16:30
    await student.send("/events")
    assert "Интеллектуальная игра" not in student.last_message().text


async def test_a_teacher_sees_the_classes_they_teach_with_their_parent_meetings(app: App) -> None:
    await app.link(503, "t01", "teacher")
    teacher = app.client(503)
    await teacher.send("/events")
    shown = teacher.last_message().text
    await teacher.click(teacher.last_message(), "Позже")
    shown += teacher.last_message().text
    assert "Родительское собрание · родители 5А — Каб. 204" in shown
    assert "Родительское собрание · родители 7Б — Каб. 210" in shown
    assert "9В" not in shown


async def test_in_english_with_a_holiday_and_an_event_added_by_staff(app: App, provider: DemoProvider) -> None:
    await demo_events.add_event(
        provider,
        title="Ёлка",
        day=date(2026, 11, 27),
        at=time(17, 0),
        kind=EventKind.SCHOOL_EVENT,
        audience=EventAudience.CLASS,
        class_name="9В",
        place="Актовый зал",
    )
    await app.link(504, "p01", "parent", language="en")
    parent = app.client(504, language_code="en")
    await parent.send("/events")
    text = parent.last_message().text
    assert text.startswith("📅 Coming school events (page 1 of 3)\n\nToday, Wed, 25 November\n")
    assert "Fri, 27 November\n• 17:00 🏫 Ёлка · 9В (Софья) — Актовый зал" in text
    assert "• 18:30–19:30 👪 Родительское собрание · parents of 5А (Артём) — Каб. 204" in text
    shown = text
    while "Later ➡️" in buttons(parent.last_message()):
        await parent.click(parent.last_message(), "Later")
        shown += parent.last_message().text
    assert "• 🎉 Зимние каникулы (until 11 January)" in shown


async def test_not_linked_and_a_bare_e_diary_are_told_plainly(settings: Settings, clock: ManualClock, provider) -> None:
    stranger_provider = WithoutEvents(provider)
    async with running_app(settings, clock, stranger_provider) as app:
        stranger = app.client(601)
        await stranger.send("/events")
        assert "сначала привяжите аккаунт" in stranger.last_message().text
        await app.link(602, "p01", "parent")
        parent = app.client(602)
        await parent.send("/events")
        assert parent.last_message().text.startswith("📅 Электронный дневник этой школы не передаёт школьные события")


async def test_an_outage_offers_a_retry_that_works_once_the_e_diary_answers(
    settings: Settings, clock: ManualClock, provider
) -> None:
    flaky = FlakyEvents(provider)
    async with running_app(settings, clock, flaky) as app:
        await app.link(603, "p01", "parent")
        parent = app.client(603)
        await parent.send("/events")
        failed = parent.last_message()
        assert "Электронный дневник не ответил" in failed.text
        flaky.down = False
        await parent.click(failed, "🔄 Попробовать снова")
        assert parent.last_message().message_id == failed.message_id
        assert "Ближайшие школьные события" in parent.last_message().text


async def test_nothing_ahead_says_so(settings: Settings, clock: ManualClock, provider) -> None:
    async with running_app(settings, clock, NoEventsAtAll(provider)) as app:
        await app.link(604, "s01", "student")
        student = app.client(604)
        await student.send("/events")
        assert student.last_message().text == "📅 В ближайшие 60 дней школьных событий для вас нет."


class WithoutEvents(WrappedProvider):
    @property
    def capabilities(self) -> Capabilities:
        return replace(self.inner.capabilities, events=False)


class FlakyEvents(WrappedProvider):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.down = True

    async def school_events(self, start: date, end: date) -> list[SchoolEvent]:
        if self.down:
            raise ProviderUnavailable("e-diary timeout")
        return await self.inner.school_events(start, end)


class NoEventsAtAll(WrappedProvider):
    async def school_events(self, start: date, end: date) -> list[SchoolEvent]:
        return []
