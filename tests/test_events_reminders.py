"""Event reminders: the day before at the account's reminder time, and on the morning of the event, to whom it
concerns, once each; quiet hours and digest mode as for the other alerts.

The demo school in December 2026: the subbotnik (school-wide) on Wednesday the 2nd at 14:30; 5А's parent meeting
on Thursday the 3rd at 18:30; 5А's class hour on Friday the 4th at 13:30; 9В's parent meeting on the 17th.
p01 is the parent of Артём (5А) and Софья (9В), s01 is Артём, t01 teaches 5А and 7Б.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import pytest

from bot.clock import ManualClock, SystemClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from bot.ediary.demo import events as demo_events
from bot.ediary.model import EventAudience, EventKind
from bot.events import reminders
from storage import outbox
from storage import users as users_repo
from tests.alerts_story import deliver, follow, texts
from tests.conftest import App, running_app
from tests.demo_school import copy_demo_school
from tests.test_events import FlakyEvents, WithoutEvents

MEETING_EVE = (
    "📅 Завтра, чт, 3 декабря: 1 школьное событие\n\n"
    "• 18:30–19:30 👪 Родительское собрание · родители 5А (Артём) — Каб. 204\n"
    "    Итоги второй четверти\n\n"
    "Все ближайшие события: /events"
)


async def run_at(app: App, moment: datetime) -> int:
    app.clock.set(moment)
    queued = await reminders.reminders_job(app.ctx)
    await deliver(app)
    return queued


async def add(provider: DemoProvider, title: str, day: date, at: time | None, **event: object) -> None:
    await demo_events.add_event(
        provider,
        title=title,
        day=day,
        at=at,
        kind=event.pop("kind", EventKind.SCHOOL_EVENT),
        audience=event.pop("audience", EventAudience.SCHOOL),
        **event,
    )


async def test_a_parent_meeting_is_reminded_the_evening_before_and_that_morning_once_each(app: App) -> None:
    parent = await follow(app, 501, "p01", "parent")
    student = await follow(app, 502, "s01", "student")
    teacher = await follow(app, 503, "t01", "teacher")
    assert await run_at(app, datetime(2026, 12, 2, 17, 59)) == 0
    await run_at(app, datetime(2026, 12, 2, 18, 0))
    assert texts(parent) == [MEETING_EVE]
    assert texts(teacher) == [MEETING_EVE.replace(" (Артём)", "")]
    assert await run_at(app, datetime(2026, 12, 2, 18, 5)) == 0

    assert await run_at(app, datetime(2026, 12, 3, 7, 29)) == 0
    await run_at(app, datetime(2026, 12, 3, 7, 30))
    assert texts(parent)[1] == MEETING_EVE.replace("Завтра", "Сегодня")
    assert await run_at(app, datetime(2026, 12, 3, 12, 0)) == 0
    assert len(parent.messages) == len(teacher.messages) == 2
    assert student.messages == []  # a meeting for parents only


async def test_a_parent_of_two_hears_of_each_childs_class_and_the_school(app: App) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await run_at(app, datetime(2026, 12, 16, 18, 0))
    [eve] = texts(parent)
    assert eve.startswith("📅 Завтра, чт, 17 декабря: 1 школьное событие\n")
    assert "Родительское собрание · родители 9В (Софья) — Каб. 212" in eve
    await run_at(app, datetime(2026, 12, 1, 18, 0))
    assert texts(parent)[1].startswith(
        "📅 Завтра, ср, 2 декабря: 1 школьное событие\n\n• 14:30–16:00 🏫 Субботник: уборка школьного двора"
    )


async def test_plurals_and_english(app: App, provider: DemoProvider) -> None:
    for hour in (9, 10, 11, 12):
        await add(provider, f"Олимпиада {hour}", date(2026, 12, 4), time(hour, 0))
    russian = await follow(app, 501, "p01", "parent")
    english = await follow(app, 502, "s01", "student", language="en")
    await run_at(app, datetime(2026, 12, 3, 18, 0))
    assert texts(russian)[-1].startswith("📅 Завтра, пт, 4 декабря: 5 школьных событий\n")
    assert texts(english)[-1].startswith("📅 Tomorrow, Fri, 4 December: 5 school events\n\n• 09:00 🏫 Олимпиада 9\n")
    assert "• 13:30–14:15 🏫 Классный час · 5А — Каб. 204" in texts(english)[-1]
    assert texts(english)[-1].endswith("All coming events: /events")
    await add(provider, "Ещё одно", date(2026, 12, 4), time(15, 0))
    await add(provider, "И ещё", date(2026, 12, 4), time(16, 0))
    await run_at(app, datetime(2026, 12, 3, 18, 30))  # added after the reminder time: reminded at once
    assert texts(russian)[-1].startswith("📅 Завтра, пт, 4 декабря: 2 школьных события\n\n• 15:00 🏫 Ещё одно\n")
    assert "Олимпиада" not in texts(russian)[-1]  # only what is new
    await run_at(app, datetime(2026, 12, 4, 7, 30))
    assert texts(english)[-1].startswith("📅 Today, Fri, 4 December: 7 school events\n")


async def test_a_reminder_time_in_quiet_hours_arrives_once_in_the_morning_as_todays(
    app: App, provider: DemoProvider
) -> None:
    await add(provider, "Зарядка до уроков", date(2026, 12, 3), time(6, 30))  # over before the quiet hours end
    parent = await follow(app, 501, "p01", "parent", reminder_time=time(22, 30))
    assert await run_at(app, datetime(2026, 12, 2, 22, 30)) == 1
    assert parent.messages == []  # held until the quiet hours end
    [item] = await outbox.items_for_chat(app.db, 501)
    assert item.not_before == datetime(2026, 12, 3, 7, 0, tzinfo=app.clock.tz)
    app.clock.set(datetime(2026, 12, 3, 7, 0))
    await deliver(app)
    assert texts(parent) == [MEETING_EVE.replace("Завтра", "Сегодня")]
    assert await run_at(app, datetime(2026, 12, 3, 7, 30)) == 0  # it was this morning's reminder too
    assert len(parent.messages) == 1


async def test_a_morning_reminder_waits_for_the_end_of_quiet_hours_unless_the_event_began(
    app: App, provider: DemoProvider
) -> None:
    await add(provider, "Зарядка", date(2026, 12, 3), time(8, 30))
    await add(provider, "Выставка", date(2026, 12, 3), time(10, 0), place="Холл")
    parent = await follow(app, 501, "p01", "parent", quiet_start=time(22, 0), quiet_end=time(9, 0))
    await run_at(app, datetime(2026, 12, 2, 18, 0))
    assert await run_at(app, datetime(2026, 12, 3, 7, 30)) == 1
    [item] = [i for i in await outbox.items_for_chat(app.db, 501) if i.status == "pending"]
    assert item.not_before == datetime(2026, 12, 3, 9, 0, tzinfo=app.clock.tz)
    assert "Выставка" in item.payload["text"] and "Зарядка" not in item.payload["text"]  # 8:30 is before 9:00
    app.clock.set(datetime(2026, 12, 3, 9, 0))
    await deliver(app)
    assert texts(parent)[-1].startswith("📅 Сегодня, чт, 3 декабря: 2 школьных события\n")


async def test_digest_mode_gets_the_day_before_at_the_digest_time_and_no_second_morning_one(
    app: App, provider: DemoProvider
) -> None:
    parent = await follow(app, 501, "p01", "parent", digest_mode=True, digest_time=time(19, 0))
    assert await run_at(app, datetime(2026, 12, 2, 18, 0)) == 0
    await run_at(app, datetime(2026, 12, 2, 19, 0))
    assert texts(parent) == [MEETING_EVE]
    assert await run_at(app, datetime(2026, 12, 3, 7, 30)) == 0
    await add(provider, "Сбор подарков", date(2026, 12, 3), time(17, 0), audience=EventAudience.CLASS, class_name="5А")
    await run_at(app, datetime(2026, 12, 3, 12, 0))  # added on the day: nobody was told the day before
    assert texts(parent)[-1].startswith("📅 Сегодня, чт, 3 декабря: 1 школьное событие\n\n• 17:00 🏫 Сбор подарков")


async def test_holidays_are_reminded_the_day_before_only(app: App) -> None:
    student = await follow(app, 502, "s01", "student")
    await run_at(app, datetime(2026, 12, 28, 18, 0))
    assert "• 🎉 Зимние каникулы (по 11 января)" in texts(student)[-1]
    count = len(student.messages)
    await run_at(app, datetime(2026, 12, 29, 7, 30))
    assert len(student.messages) == count


async def test_an_account_that_blocked_the_bot_is_skipped(app: App) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await users_repo.set_active(app.db, 501, False)
    assert await run_at(app, datetime(2026, 12, 2, 18, 0)) == 0
    assert parent.messages == []


async def test_an_e_diary_without_events_or_down_queues_nothing(
    settings: Settings, clock: ManualClock, provider
) -> None:
    async with running_app(settings, clock, WithoutEvents(provider)) as app:
        await follow(app, 501, "p01", "parent")
        assert await run_at(app, datetime(2026, 12, 2, 18, 0)) == 0
    flaky = FlakyEvents(provider)
    async with running_app(settings, clock, flaky) as app:
        parent = await follow(app, 501, "p01", "parent")
        assert await run_at(app, datetime(2026, 12, 2, 18, 0)) == 0
        flaky.down = False
        assert await run_at(app, datetime(2026, 12, 2, 18, 1)) == 1
        assert texts(parent) == [MEETING_EVE]


# --- on the real clock -------------------------------------------------------------------------------------


@pytest.fixture
async def real_app(settings: Settings) -> AsyncIterator[tuple[App, DemoProvider]]:
    clock = SystemClock(settings.tz)
    await copy_demo_school(settings.demo_database_path, clock)
    provider = await DemoProvider.open(settings.demo_database_path, clock)
    try:
        async with running_app(settings, clock, provider) as app:  # type: ignore[arg-type]  # any Clock will do
            yield app, provider
    finally:
        await provider.close()


async def test_on_the_real_clock_an_event_tomorrow_is_reminded_after_the_reminder_time(real_app) -> None:
    app, provider = real_app
    tomorrow = app.ctx.clock.today() + timedelta(days=1)
    await add(provider, "Встреча с писателем", tomorrow, time(12, 0), audience=EventAudience.CLASS, class_name="5А")
    await follow(app, 501, "p01", "parent", reminder_time=time(0, 0), quiet_start=time(0), quiet_end=time(0))
    assert await reminders.reminders_job(app.ctx) >= 1
    [item] = [i for i in await outbox.items_for_chat(app.db, 501) if "Встреча с писателем" in i.payload["text"]]
    assert "<b>Встреча с писателем</b> · 5А (Артём)" in item.payload["text"]
