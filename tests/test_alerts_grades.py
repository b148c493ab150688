"""A parent and a student follow new and corrected grades: one message per poll and student, to everyone linked,
after a silent first sync; nothing is alerted twice, and nothing is recorded without its alert."""

from datetime import date, timedelta

import pytest

from bot.alerts import poller
from bot.delivery import lease
from bot.ediary.demo import DemoProvider, commands
from storage import leases
from storage import outbox as outbox_repo
from storage import seen as seen_repo
from storage import users as users_repo
from tests.alerts_story import BOTH_READ_MODES, deliver, follow, poll_and_deliver, queued, scope, texts
from tests.conftest import App

pytestmark = BOTH_READ_MODES


async def test_the_first_sync_is_silent(app: App) -> None:
    parent = await follow(app, 501, "p01", "parent")
    student = await follow(app, 502, "s01", "student")
    assert await poller.poll(app.ctx) == 0
    await deliver(app)
    assert parent.messages == [] and student.messages == []
    assert await poller.poll(app.ctx) == 0  # and the second poll finds nothing new either


async def test_a_new_grade_reaches_the_parent_and_the_student(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    student = await follow(app, 502, "s01", "student", language="en")
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5", work_type="Контрольная работа", comment="Молодец!")
    assert await poll_and_deliver(app) == 2
    [to_parent] = texts(parent)
    assert "Новая оценка: Артём Иванов" in to_parent
    assert "Математика: 5 — Контрольная работа, ср, 25 ноября" in to_parent
    assert "Молодец!" in to_parent
    [to_student] = texts(student)
    assert to_student.startswith("📝 You have a new grade")
    assert "Математика: 5 — Контрольная работа, Wed, 25 November" in to_student
    await poll_and_deliver(app)
    assert len(parent.messages) == 1 and len(student.messages) == 1  # never twice


async def test_several_grades_of_one_poll_make_one_message(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await commands.add_grade(provider, "s01", "Русский язык", "3", day=date(2026, 11, 20), comment="Повторить правило")
    await commands.add_grade(provider, "s01", "Литература", "4")
    await poll_and_deliver(app)
    [message] = texts(parent)
    assert "3 новые оценки: Артём Иванов" in message
    assert "Русский язык: 3 — Ответ на уроке, пт, 20 ноября" in message  # a late entry inside the window
    assert "Математика: 5" in message and "Литература: 4" in message


async def test_a_parent_of_two_children_in_two_classes_hears_about_each(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")  # Артём (5А) and his sister in 9В
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await commands.add_grade(provider, "s17", "Физика", "4")
    await poll_and_deliver(app)
    messages = texts(parent)
    assert len(messages) == 2
    assert any("Артём Иванов" in m and "Математика: 5" in m for m in messages)
    assert any("Физика: 4" in m and "Артём" not in m for m in messages)


async def test_a_grade_corrected_twice_gives_two_correction_alerts(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    grade = await commands.add_grade(provider, "s01", "Математика", "3")
    await poll_and_deliver(app)
    await commands.change_grade(provider, grade.id, "4")
    await poll_and_deliver(app)
    await commands.change_grade(provider, grade.id, "5")
    await poll_and_deliver(app)
    first, second, third = texts(parent)
    assert "Новая оценка" in first and "Математика: 3" in first
    assert "Изменения в оценках: Артём Иванов" in second and "Математика: 3 → 4" in second
    assert "Математика: 4 → 5" in third


async def test_a_deleted_grade_is_reported_after_three_polls_without_it(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    grade = await commands.add_grade(provider, "s01", "Математика", "2")
    await poll_and_deliver(app)
    await commands.delete_grade(provider, grade.id)
    await poll_and_deliver(app)
    await poll_and_deliver(app)
    assert len(parent.messages) == 1  # two polls without it: maybe a hiccup, say nothing yet
    await poll_and_deliver(app)
    assert "Математика: 2 удалена" in texts(parent)[-1]
    await poll_and_deliver(app)
    assert len(parent.messages) == 2


async def test_a_family_linked_later_gets_no_flood_of_old_grades(app: App, provider: DemoProvider) -> None:
    await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)  # 5А is polled already
    await commands.add_grade(provider, "s02", "Математика", "4")  # Полина, nobody follows her yet
    newcomer = await follow(app, 503, "p03", "parent")  # her mother links now
    await poll_and_deliver(app)
    assert newcomer.messages == []
    await commands.add_grade(provider, "s02", "Математика", "5")
    await poll_and_deliver(app)
    [message] = texts(newcomer)
    assert "Математика: 5" in message and "Математика: 4" not in message


async def test_grade_alerts_can_be_switched_off(app: App, provider: DemoProvider) -> None:
    quiet_parent = await follow(app, 501, "p01", "parent", alert_grades=False)
    other_parent = await follow(app, 504, "p02", "parent")
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poll_and_deliver(app)
    assert quiet_parent.messages == []
    assert len(other_parent.messages) == 1


async def test_an_account_that_blocked_the_bot_is_not_written_to(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await users_repo.set_active(app.db, 501, False)
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    await poller.poll(app.ctx)
    assert await queued(app, 501) == [] and parent.messages == []


async def test_nothing_is_recorded_as_seen_unless_its_alert_is_queued(
    app: App, provider: DemoProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    grade = await commands.add_grade(provider, "s01", "Математика", "5")
    real_enqueue = outbox_repo.enqueue

    async def broken_enqueue(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox_repo, "enqueue", broken_enqueue)
    with pytest.raises(RuntimeError):
        await poller.poll(app.ctx)
    seen = {r.key for r in await seen_repo.load(app.db, scope(app, "5А", "s01"), "grade")}
    assert grade.id not in seen  # rolled back together with the alert
    monkeypatch.setattr(outbox_repo, "enqueue", real_enqueue)
    await poll_and_deliver(app)
    assert "Математика: 5" in texts(parent)[0]


async def test_alerts_go_through_the_outbox_and_wake_the_sender(app: App, provider: DemoProvider) -> None:
    await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "5")
    app.ctx.delivery.wake_event.clear()
    await poller.poll(app.ctx)
    [item] = await queued(app, 501)
    assert item.kind == "grades" and item.dedupe_key.startswith("grades:501:") and item.status == "pending"
    assert app.ctx.delivery.wake_event.is_set()  # the sender looks at once, not at its next round


async def test_only_the_lease_holder_polls(app: App, provider: DemoProvider) -> None:
    await follow(app, 501, "p01", "parent")
    await leases.acquire(app.db, lease.LEASE_NAME, "other-host:1:abcd", app.clock.now(), timedelta(minutes=5))
    assert await poller.poll(app.ctx) == 0
    assert await seen_repo.baselined(app.db, scope(app, "5А", "s01")) == set()  # it did not even look


async def test_an_absence_is_not_a_grade_alert(app: App, provider: DemoProvider) -> None:
    parent = await follow(app, 501, "p01", "parent")
    await poller.poll(app.ctx)
    await commands.add_grade(provider, "s01", "Математика", "н")  # absent: attendance, not a mark
    await commands.add_grade(provider, "s01", "Литература", "5")
    await poll_and_deliver(app)
    [message] = [m for m in texts(parent) if "оценк" in m]
    assert "Новая оценка: Артём Иванов" in message and "Литература: 5" in message  # one grade, not «2 новые»
    assert "Математика" not in message
    [absence_alert] = [m for m in texts(parent) if m not in message]  # told as attendance instead
    assert absence_alert.startswith("📋 Артём отсутствовал") and "уроке (Математика)" in absence_alert
    absence = await commands.add_grade(provider, "s01", "Русский язык", "н")
    await commands.change_grade(provider, absence.id, "нб")
    await poll_and_deliver(app)
    await commands.delete_grade(provider, absence.id)
    for _ in range(3):  # and an absence taken back is no «removed grade» either
        await poll_and_deliver(app)
    assert not any("оценк" in m for m in texts(parent)[1:] if m != absence_alert)
