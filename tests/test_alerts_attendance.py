"""Absence and lateness alerts: a child marked absent or late today is told to the parents (students opt in), once
per lesson, worded by the child's sex, after a silent first sync of its own, through quiet hours and the daily
summary, never from an incomplete answer; an e-diary without AttendanceSource has its «н» and «оп» marks told
as attendance, never as new grades. Every test runs on an e-diary that reads classes and on one that reads only
per student.

The demo school on Wednesday 25 November 2026 at 10:00: p01 is the parent of Артём (s01, 5А) and Софья (s17, 9В).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from bot.alerts import digest, poller
from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider, commands
from bot.ediary.demo.attendance import mark_absent
from bot.ediary.model import AbsenceReason, AttendanceMark, Capabilities
from bot.ediary.provider import IncompleteAnswer
from storage import seen as seen_repo
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, poll_and_deliver, queued, scope, texts
from tests.conftest import App, running_app
from tests.timetable_fakes import WrappedProvider

pytestmark = BOTH_READ_MODES

TODAY = date(2026, 11, 25)


async def subject(provider: DemoProvider, class_id: str, number: int, day: date = TODAY) -> str:
    [lesson] = [x for x in await provider.lessons([class_id], day, day) if x.number == number]
    return lesson.subject


def attendance_texts(client: Any) -> list[str]:
    return [t for t in texts(client) if t.startswith("📋")]


async def test_an_absence_today_reaches_the_parents_once_after_a_silent_first_sync(
    app: App, provider: DemoProvider
) -> None:
    await mark_absent(provider, student_id="s01", day=TODAY, number=1)  # before anyone followed: the baseline
    parent = await follow(app, 501, "p01", "parent")
    student = await follow(app, 502, "s01", "student")  # students hear of it only when they opt in
    assert await poll_and_deliver(app) == 0
    await mark_absent(provider, student_id="s01", day=TODAY, number=2)
    await poll_and_deliver(app)
    assert texts(parent) == [f"📋 Артём отсутствовал на 2-м уроке ({await subject(provider, '5a', 2)})"]
    assert student.messages == []
    await mark_absent(provider, student_id="s01", day=TODAY, number=2, minutes_late=5)  # corrected: no news
    await mark_absent(provider, student_id="s01", day=date(2026, 11, 23), number=3)  # another day: no alert
    await poll_and_deliver(app)
    await poll_and_deliver(app)
    assert len(parent.messages) == 1


async def test_wording_by_sex_lateness_reasons_and_english(app: App, provider: DemoProvider) -> None:
    mother = await follow(app, 501, "p01", "parent")
    father = await follow(app, 503, "p03", "parent", language="en")  # Анна's and Михаил's father
    await poller.poll(app.ctx)
    await mark_absent(provider, student_id="s17", day=TODAY, number=1, reason=AbsenceReason.ILLNESS)
    await mark_absent(provider, student_id="s17", day=TODAY, number=2, reason=AbsenceReason.ILLNESS)
    await mark_absent(provider, student_id="s01", day=TODAY, number=1, minutes_late=10)
    await mark_absent(provider, student_id="s02", day=TODAY, number=3, reason=AbsenceReason.UNEXCUSED)
    await poll_and_deliver(app)
    first, second = await subject(provider, "9v", 1), await subject(provider, "9v", 2)
    assert sorted(texts(mother)) == sorted(
        [
            f"📋 Артём опоздал на 1-й урок ({await subject(provider, '5a', 1)}) на 10 мин.",
            f"📋 Софья отсутствовала на 1-м уроке ({first}) — по болезни\n"
            f"📋 Софья отсутствовала на 2-м уроке ({second}) — по болезни",
        ]
    )
    assert texts(father) == [
        f"📋 Анна was absent from lesson 3 ({await subject(provider, '5a', 3)}) — without a good reason"
    ]


async def test_a_student_who_opts_in_is_addressed_and_a_parent_can_opt_out(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student", alert_attendance=True)
    parent = await follow(app, 501, "p01", "parent", alert_attendance=False)
    await poller.poll(app.ctx)
    await mark_absent(provider, student_id="s01", day=TODAY, number=3)
    await poll_and_deliver(app)
    assert texts(student) == [f"📋 Вы отсутствовали на 3-м уроке ({await subject(provider, '5a', 3)})"]
    assert parent.messages == []


async def test_at_night_it_waits_for_the_end_of_quiet_hours(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")  # quiet hours 22:00–07:00
    await poller.poll(app.ctx)
    app.clock.set(datetime(2026, 11, 25, 22, 30))
    await mark_absent(provider, student_id="s01", day=TODAY, number=4)  # a teacher filling in the journal late
    await poller.poll(app.ctx)
    [item] = await queued(app, 501, "attendance")
    assert item.not_before == datetime(2026, 11, 26, 7, 0, tzinfo=app.clock.tz)
    await deliver(app)
    assert parent.messages == []
    app.clock.set(datetime(2026, 11, 26, 7, 0))
    await deliver(app)
    assert texts(parent) == [f"📋 Артём отсутствовал на 4-м уроке ({await subject(provider, '5a', 4)})"]


async def test_in_digest_mode_it_waits_for_the_daily_summary(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent", digest_mode=True, digest_time=time(19, 0))
    await poller.poll(app.ctx)
    await mark_absent(provider, student_id="s01", day=TODAY, number=1)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poller.poll(app.ctx)
    app.clock.set(datetime(2026, 11, 25, 12, 0))
    await mark_absent(provider, student_id="s17", day=TODAY, number=5)
    await poller.poll(app.ctx)
    await deliver(app)
    assert parent.messages == [] and await queued(app, 501) == []
    app.clock.set(datetime(2026, 11, 25, 19, 0))
    assert await digest.digest_job(app.ctx) == 1
    await deliver(app)
    [summary] = texts(parent)
    assert summary.startswith("📰 Сводка за день, ср, 25 ноября")
    assert f"📋 Артём отсутствовал на 1-м уроке ({await subject(provider, '5a', 1)})" in summary
    assert f"📋 Софья отсутствовала на 5-м уроке ({await subject(provider, '9v', 5)})" in summary
    assert "Математика: 5" in summary


async def test_a_student_followed_before_attendance_existed_starts_silent(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    where = scope(app, "5А", "s01")
    # as a database from before: grades and the timetable baselined, attendance never read
    await app.db.execute("DELETE FROM alert_baselines WHERE kind = 'attendance'")
    await app.db.execute("DELETE FROM alert_seen WHERE kind = 'attendance'")
    await mark_absent(provider, student_id="s01", day=TODAY, number=1)  # marked before this version ran
    assert await poll_and_deliver(app) == 0
    assert "s01" in await seen_repo.baselined(app.db, where, seen_repo.ATTENDANCE)
    await mark_absent(provider, student_id="s01", day=TODAY, number=2)
    await poll_and_deliver(app)
    assert len(attendance_texts(parent)) == 1 and "2-м уроке" in texts(parent)[0]


async def test_without_attendance_source_absence_marks_are_attendance_not_grades(
    settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    async with running_app(settings, clock, MarksOnly(provider)) as app:
        parent = await follow(app, 501, "p01", "parent")
        await poller.poll(app.ctx)
        lessons = sorted(await provider.lessons(["5a"], TODAY, TODAY), key=lambda x: x.number)
        first, second = lessons[0], next(x for x in lessons if x.subject != lessons[0].subject)
        maths = await commands.add_grade(provider, "s01", first.subject, "н")
        await commands.add_grade(provider, "s01", second.subject, "оп")
        await commands.add_grade(provider, "s01", "Физическая культура", "5")  # a real mark
        await commands.add_grade(provider, "s01", "Литература", "н")  # no lesson of it today: which one? left out
        await poll_and_deliver(app)
        [grades] = [t for t in texts(parent) if "оценк" in t]
        assert grades.startswith("📝 Новая оценка: Артём Иванов") and "Физическая культура: 5" in grades
        [attendance] = attendance_texts(parent)
        assert attendance == (
            f"📋 Артём отсутствовал на {first.number}-м уроке ({first.subject})\n"
            f"📋 Артём опоздал на {second.number}-й урок ({second.subject})"
        )
        await commands.change_grade(provider, maths.id, "б")  # the reason given later: a correction, no news
        await poll_and_deliver(app)
        assert len(parent.messages) == 2


async def test_an_incomplete_answer_records_and_tells_nothing(
    settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    broken = BrokenAttendance(provider)
    async with running_app(settings, clock, broken) as app:
        parent = await follow(app, 501, "p01", "parent")
        await poller.poll(app.ctx)
        where = scope(app, "5А", "s01")
        before = await seen_repo.load(app.db, where, "attendance")
        broken.broken = True
        await mark_absent(provider, student_id="s01", day=TODAY, number=2)
        await commands.add_grade(provider, "s01", "Математика", "4")
        assert await poll_and_deliver(app) == 0
        assert await seen_repo.load(app.db, where, "attendance") == before
        assert parent.messages == []
        broken.broken = False
        app.clock.set(datetime(2026, 11, 25, 11, 0))  # past the backoff
        await poll_and_deliver(app)
        assert len(attendance_texts(parent)) == 1 and "2-м уроке" in attendance_texts(parent)[0]
        assert any("Математика: 4" in t for t in texts(parent))


class MarksOnly(WrappedProvider):
    """An e-diary like Дневник.ру or МЭШ today: absences only as marks, no AttendanceSource."""

    @property
    def capabilities(self) -> Capabilities:
        return replace(self.inner.capabilities, attendance=False)


class BrokenAttendance(WrappedProvider):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.broken = False

    async def class_attendance(self, class_name: str, start: date, end: date) -> list[AttendanceMark]:
        if self.broken:
            raise IncompleteAnswer("truncated attendance")
        return await self.inner.class_attendance(class_name, start, end)

    async def student_attendance(self, student_id: str, start: date, end: date) -> list[AttendanceMark]:
        if self.broken:
            raise IncompleteAnswer("truncated attendance")
        return await self.inner.student_attendance(student_id, start, end)
