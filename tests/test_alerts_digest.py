"""Digest mode: a day's grade and timetable alerts arrive as one summary at the chosen time; /forget erases
what is waiting."""

from datetime import date, datetime, time

from bot.alerts import digest, poller, reminders
from bot.ediary.demo import DemoProvider, commands
from storage import alerts as alerts_repo
from storage import links as links_repo
from storage import preferences as prefs_repo
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, queued, texts
from tests.conftest import App

pytestmark = BOTH_READ_MODES

TOMORROW = date(2026, 11, 26)


async def at(app: App, hour: int, minute: int = 0, day: int = 25) -> None:
    app.clock.set(datetime(2026, 11, day, hour, minute))


async def test_a_days_alerts_arrive_as_one_summary(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent", digest_mode=True, digest_time=time(19, 0))
    neighbour = await follow(app, 504, "p02", "parent")  # alerts as they happen
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poller.poll(app.ctx)
    await at(app, 12)
    await commands.add_grade(provider, "s01", "Русский язык", "4")
    await commands.change_lesson(provider, "5А", TOMORROW, 3, cancel=True)
    await poller.poll(app.ctx)
    await deliver(app)
    assert parent.messages == [] and await queued(app, 501) == []
    assert len(neighbour.messages) == 3
    await at(app, 18, 59)
    assert await digest.digest_job(app.ctx) == 0
    await at(app, 19)
    assert await digest.digest_job(app.ctx) == 1
    await deliver(app)
    [summary] = texts(parent)
    assert summary.startswith("📰 Сводка за день, ср, 25 ноября")
    assert "2 новые оценки: Артём Иванов" in summary  # two polls, one section
    assert "Математика: 5" in summary and "Русский язык: 4" in summary
    assert "3-й урок (10:30), Музыка: отменён" in summary
    await at(app, 19, 5)
    assert await digest.digest_job(app.ctx) == 0


async def test_alerts_after_the_summary_wait_for_the_next_one(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent", digest_mode=True, digest_time=time(19, 0))
    await poller.poll(app.ctx)
    await at(app, 20)
    await commands.add_grade(provider, "s01", "Литература", "5")
    await poller.poll(app.ctx)
    await digest.digest_job(app.ctx)
    await deliver(app)
    assert parent.messages == []  # today's summary time has passed: tomorrow's
    await at(app, 19, day=26)
    await digest.digest_job(app.ctx)
    await deliver(app)
    [summary] = texts(parent)
    assert summary.startswith("📰 Сводка за день, чт, 26 ноября") and "Литература: 5" in summary


async def test_switching_back_to_immediate_alerts_sends_what_was_waiting(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent", digest_mode=True)
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "4")
    await poller.poll(app.ctx)
    await prefs_repo.update_preferences(app.db, 501, digest_mode=False)
    await digest.digest_job(app.ctx)
    await deliver(app)
    assert "Математика: 4" in texts(parent)[0]  # not lost, not kept until evening


async def test_homework_reminders_do_not_wait_for_the_summary(app: App) -> None:
    student = await follow(app, 502, "s01", "student", digest_mode=True, digest_time=time(21, 0))
    await poller.poll(app.ctx)
    await at(app, 18)
    await reminders.reminders_job(app.ctx)
    await deliver(app)
    assert texts(student)[0].startswith("📚 Домашнее задание на завтра")


async def test_forgetting_a_user_erases_their_waiting_alerts_and_reminder_marks(
    app: App, provider: DemoProvider
) -> None:
    await follow(app, 502, "s01", "student", digest_mode=True)
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "4")
    await poller.poll(app.ctx)
    await at(app, 18)
    await reminders.reminders_job(app.ctx)
    assert await alerts_repo.digest_items(app.db, 502)
    assert await alerts_repo.reminded(app.db, 502, TOMORROW)
    async with app.db.transaction():
        await app.ctx.events.user_forgotten(app.ctx, 502)
    assert await alerts_repo.digest_items(app.db, 502) == []
    assert await alerts_repo.reminded(app.db, 502, TOMORROW) == set()


async def test_an_account_unlinked_before_the_summary_gets_nothing_about_the_child(
    app: App, provider: DemoProvider
) -> None:
    parent = await follow(app, 501, "p01", "parent", digest_mode=True, digest_time=time(19, 0))
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poller.poll(app.ctx)
    await links_repo.remove_link(app.db, 501, "p01")
    await at(app, 19)
    await digest.digest_job(app.ctx)
    await deliver(app)
    assert parent.messages == []
    assert await alerts_repo.digest_items(app.db, 501) == []  # and nothing is kept about the child either
