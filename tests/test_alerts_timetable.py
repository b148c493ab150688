"""Timetable changes for today and tomorrow reach the class's families once, saying what changed."""

from datetime import date, datetime

from bot.alerts import poller
from bot.ediary.demo import DemoProvider, commands
from bot.ediary.model import LessonStatus
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, poll_and_deliver, queued, texts
from tests.conftest import App

pytestmark = BOTH_READ_MODES

TODAY = date(2026, 11, 25)  # Wednesday
TOMORROW = date(2026, 11, 26)


async def test_a_substitution_tomorrow_goes_once_to_the_class_families(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")  # Артём, 5А
    student = await follow(app, 502, "s01", "student")
    classmate = await follow(app, 503, "s03", "student", language="en")
    other_class = await follow(app, 510, "s10", "student")  # 7Б
    await poller.poll(app.ctx)
    await commands.change_lesson(provider, "5А", TOMORROW, 4, teacher="t07", reason="болезнь учителя")
    await poll_and_deliver(app)
    [to_parent] = texts(parent)
    assert "Изменения в расписании, 5А" in to_parent
    assert "Завтра, чт, 26 ноября" in to_parent
    assert "4-й урок (11:35), История: замена — ведёт Никитина Татьяна Игоревна (по расписанию — " in to_parent
    assert "болезнь учителя" in to_parent
    assert texts(student) == [to_parent]
    assert "Lesson 4 (11:35), История: substitute teacher Никитина Татьяна Игоревна" in texts(classmate)[0]
    assert other_class.messages == []
    await poll_and_deliver(app)
    assert len(parent.messages) == 1 and len(student.messages) == 1  # once


async def test_room_change_cancellation_and_added_lesson_in_one_message(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    await commands.change_lesson(provider, "5А", TOMORROW, 1, room="101", reason="ремонт кабинета")
    await commands.change_lesson(provider, "5А", TOMORROW, 3, cancel=True, reason="экскурсия в музей")
    await commands.change_lesson(provider, "5А", TOMORROW, 6, add_subject="Математика", teacher="t01", room="204")
    await commands.change_lesson(provider, "5А", TODAY, 5, room="305")
    await poll_and_deliver(app)
    [message] = texts(student)
    assert message.index("Сегодня, ср, 25 ноября") < message.index("Завтра, чт, 26 ноября")
    assert "5-й урок (12:30), Математика: перенесён в кабинет 305 (вместо 204)" in message
    assert "1-й урок (08:30), Литература: перенесён в кабинет 101 (вместо 210) — ремонт кабинета" in message
    assert "3-й урок (10:30), Музыка: отменён — экскурсия в музей" in message
    assert "6-й урок (13:25), Математика: дополнительный урок, ведёт Белова Елена Викторовна, кабинет 204" in message


async def test_the_first_sync_does_not_announce_changes_known_before(app: App, provider: DemoProvider) -> None:
    lessons = (await provider.student_schedule("s01", TODAY, TOMORROW)).lessons
    changed = [lesson for lesson in lessons if lesson.status != LessonStatus.NORMAL]
    assert changed  # the demo school has a room change for 5А tomorrow already
    student = await follow(app, 502, "s01", "student")
    await poll_and_deliver(app)
    await poll_and_deliver(app)
    assert student.messages == []


async def test_a_substitution_taken_back_is_announced_too(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    await commands.change_lesson(provider, "5А", TOMORROW, 4, teacher="t07")
    await poll_and_deliver(app)
    await commands.change_lesson(provider, "5А", TOMORROW, 4, teacher="t06")  # the usual teacher after all
    await poll_and_deliver(app)
    assert "4-й урок (11:35), История: снова по обычному расписанию" in texts(student)[-1]


async def test_a_change_to_a_lesson_already_over_is_not_news(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    await commands.change_lesson(provider, "5А", TODAY, 1, room="101")  # 8:30–9:15, it is 10:00 now
    await poll_and_deliver(app)
    assert student.messages == []


async def test_changes_of_the_next_day_are_announced_when_it_becomes_tomorrow(app: App) -> None:
    # the demo school has lesson 3 of 5А cancelled on Friday 27 November
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    app.clock.set(datetime(2026, 11, 26, 0, 5))  # Thursday: Friday is tomorrow now
    await poller.poll(app.ctx)
    [item] = await queued(app, 502, "timetable")
    assert item.not_before == datetime(2026, 11, 26, 7, 0, tzinfo=app.ctx.settings.tz)  # after quiet hours
    assert item.dedupe_key.startswith("timetable:502:")
    await deliver(app)
    assert student.messages == []
    app.clock.set(datetime(2026, 11, 26, 7, 0))
    await deliver(app)
    # (the new day's generated grades arrive too)
    assert any("3-й урок (10:30), Физическая культура: отменён" in text for text in texts(student))


async def test_timetable_alerts_can_be_switched_off(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student", alert_timetable=False)
    await poller.poll(app.ctx)
    await commands.change_lesson(provider, "5А", TOMORROW, 3, cancel=True)
    await poll_and_deliver(app)
    assert student.messages == []


async def test_a_parent_of_two_classmates_hears_of_a_class_change_once(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")  # Артём, 5А (and his sister in 9В)
    await app.link(501, "p03", "parent")  # the same account follows s02, 5А, too
    await poller.poll(app.ctx)
    await commands.change_lesson(provider, "5А", TOMORROW, 4, teacher="t07")
    await poll_and_deliver(app)
    [message] = texts(parent)  # per student, both children's reads saw it: still one message
    assert message.count("4-й урок (11:35), История: замена") == 1
    await poll_and_deliver(app)
    assert len(parent.messages) == 1
