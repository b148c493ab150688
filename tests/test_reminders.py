"""Deadline reminders: the evening before homework is due, once per homework, at each user's reminder time."""

from datetime import date, datetime, time

from bot.alerts import poller, reminders
from bot.ediary.demo import DemoProvider, commands
from storage import links as links_repo
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, texts
from tests.conftest import App

pytestmark = BOTH_READ_MODES

TOMORROW = date(2026, 11, 26)  # 5А has История, Литература, Математика and Русский язык due


async def remind_at(app: App, hour: int, minute: int = 0) -> int:
    app.clock.set(datetime(2026, 11, 25, hour, minute))
    queued = await reminders.reminders_job(app.ctx)
    await deliver(app)
    return queued


async def test_a_student_is_reminded_once_at_six_in_the_evening(app: App) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)  # 10:00: the poll sees the homework
    assert await remind_at(app, 17, 59) == 0
    assert student.messages == []
    assert await remind_at(app, 18, 0) == 1
    [message] = texts(student)
    assert message.startswith("📚 Домашнее задание на завтра, чт, 26 ноября")
    assert "Математика: Повторить § 21, решить № 548–550" in message
    assert "История:" in message and "Литература:" in message and "Русский язык:" in message
    assert "Английский язык" not in message  # due on Friday: reminded tomorrow evening
    assert await remind_at(app, 18, 5) == 0
    await poller.poll(app.ctx)
    await deliver(app)
    assert len(student.messages) == 1


async def test_parents_are_reminded_only_when_they_opt_in(app: App) -> None:
    await follow(app, 502, "s01", "student")
    parent = await follow(app, 501, "p01", "parent")
    caring_parent = await follow(app, 504, "p02", "parent", alert_homework=True)
    await poller.poll(app.ctx)
    await remind_at(app, 18, 0)
    assert parent.messages == []
    about_artyom = [t for t in texts(caring_parent) if "Артём Иванов" in t]  # (and one about his sister in 9В)
    assert len(about_artyom) == 1
    assert about_artyom[0].startswith("📚 Домашнее задание на завтра, чт, 26 ноября: Артём Иванов")


async def test_homework_set_after_the_reminder_time_is_reminded_at_once(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    await remind_at(app, 18, 0)
    app.clock.set(datetime(2026, 11, 25, 19, 30))
    await commands.add_homework(provider, "5А", "Литература", TOMORROW, "Выучить стихотворение")
    await poller.poll(app.ctx)  # found by the poll, reminded by the same run
    await deliver(app)
    _reminder, second = texts(student)
    assert "Выучить стихотворение" in second
    assert "Математика" not in second  # only what is new


async def test_each_user_has_their_own_reminder_time(app: App) -> None:
    student = await follow(app, 502, "s01", "student", reminder_time=time(20, 30))
    await poller.poll(app.ctx)
    await remind_at(app, 18, 0)
    assert student.messages == []
    await remind_at(app, 20, 30)
    assert len(student.messages) == 1


async def test_a_student_may_switch_reminders_off(app: App) -> None:
    student = await follow(app, 502, "s01", "student", alert_homework=False)
    await poller.poll(app.ctx)
    await remind_at(app, 18, 0)
    assert student.messages == []


async def test_a_reminder_time_inside_quiet_hours_waits_for_the_morning(app: App) -> None:
    student = await follow(app, 502, "s01", "student", reminder_time=time(22, 30))
    await poller.poll(app.ctx)
    await remind_at(app, 22, 30)
    assert student.messages == []  # queued, deferred to 07:00
    app.clock.set(datetime(2026, 11, 26, 7, 0))
    await deliver(app)
    assert any(text.startswith("📚 Домашнее задание на завтра, чт, 26 ноября") for text in texts(student))


async def test_an_account_unlinked_since_the_last_poll_is_not_reminded(app: App) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)
    await links_repo.remove_link(app.db, 502, "s01")
    await remind_at(app, 18, 0)
    assert student.messages == []


async def test_a_parent_of_two_classmates_gets_one_reminder_naming_both(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent", alert_homework=True)  # Артём, 5А (and his sister in 9В)
    await app.link(501, "p03", "parent")  # the same account follows s02, 5А, too
    classmate = (await provider.get_student("s02")).person.short_name
    await poller.poll(app.ctx)
    await remind_at(app, 18, 0)
    [about_5a] = [text for text in texts(parent) if "Артём" in text]
    assert f"Артём Иванов, {classmate}" in about_5a.splitlines()[0]
    assert about_5a.count("Математика: Повторить § 21, решить № 548–550") == 1
