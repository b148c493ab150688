"""/homework: what is due from tomorrow to the end of the week, by day and subject, with files, the teacher's comment
and what was set today; a student ticks an assignment done (✅, left out of the evening reminder), a parent sees
the tick and cannot set one.

The demo school on Wednesday 25 November 2026: 5А (Артём, s01) has История, Литература (a file), Математика and
Русский язык due on Thursday 26 (Математика and Русский язык set today), and on Friday 27 Литература (with the
teacher's comment) among others. p01 is the parent of Артём and of Софья (s17, 9В).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.alerts.reminders import send_due_reminders
from bot.clock import ManualClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from bot.ediary.model import ClassSchedule
from bot.ediary.provider import ProviderUnavailable
from storage import homework_ticks
from tests.alerts_story import deliver, follow, poll_and_deliver, texts
from tests.conftest import App, running_app
from tests.messaging_story import buttons
from tests.timetable_fakes import WrappedProvider

THURSDAY, FRIDAY = date(2026, 11, 26), date(2026, 11, 27)


async def test_a_student_sees_the_week_by_day_with_files_comments_and_what_is_new(
    app: App, provider: DemoProvider
) -> None:
    await app.link(601, "s01", "student")
    student = app.client(601)
    await student.send("/homework")
    view = student.last_message()
    text = view.text
    assert text.startswith(
        "📝 Домашние задания: Артём Иванов, 5А\nК завтрашнему дню и до конца недели, по вс, 29 ноября\n"
    )
    thursday = text.split("Завтра, чт, 26 ноября\n")[1].split("\n\n")[0]
    assert thursday.split("\n") == [
        "• История: § 33, заполнить таблицу в тетради",
        "• Литература: Прочитать с. 130–145",
        "   📎 Карточка с заданиями.pdf",
        "• Математика: Повторить § 21, решить № 548–550 🆕",
        "• Русский язык: Выучить словарные слова на с. 71 🆕",
    ]
    friday = text.split("пт, 27 ноября\n")[1].split("\n\n")[0]
    assert "• Литература: Выучить наизусть отрывок на с. 30\n   💬 Кто отсутствовал — выполнить обязательно" in friday
    due = await provider.class_homework("5А", THURSDAY, date(2026, 11, 29))
    assert text.count("• ") == len(due)  # everything due, nothing else
    assert text.endswith("\n\n🆕 задано сегодня")
    assert buttons(view)[:2] == ["▫️ чт · История", "▫️ чт · Литература"]
    assert len(buttons(view)) == len(due)


async def test_a_tick_is_the_students_and_the_parent_sees_it(app: App) -> None:
    await app.link(602, "s01", "student")
    await app.link(603, "p03", "parent")  # Анна's father: not Артём's
    await app.link(604, "p01", "parent")
    student = app.client(602)
    await student.send("/homework")
    view = student.last_message()
    await student.click(view, "▫️ чт · Математика")
    ticked = student.last_message()
    assert ticked.message_id == view.message_id
    assert student.last_answer() == "Отмечено как сделанное"
    assert "• ✅ Математика: Повторить § 21" in ticked.text
    assert ticked.text.endswith("✅ сделано: вы отметили")
    assert "✅ чт · Математика" in buttons(ticked)
    assert await homework_ticks.ticked(app.db, ["s01"]) == {("s01", "h20261126-5a-math")}

    parent = app.client(604)
    await parent.send("/homework")
    await parent.click(parent.last_message(), "Артём Иванов, 5А")
    seen = parent.last_message()
    assert "• ✅ Математика: Повторить § 21" in seen.text and seen.text.endswith("✅ сделано: отметил(а) ученик")
    assert buttons(seen) == ["• Артём Иванов, 5А •", "Софья Иванова, 9В"]  # no tick buttons for a parent
    await parent.click_forged(seen, "hk:h20261126-5a-rus")  # a parent cannot tick for the child
    assert "устарела" in parent.last_answer()
    stranger = app.client(603)
    await stranger.send("/homework")
    await stranger.click_forged(stranger.last_message(), "hk:h20261126-5a-hist")
    await student.click_forged(ticked, "hk:h20261126-9v-math")  # his sister's class: not his homework
    await student.click_forged(ticked, "hk:h20261125-5a-math")  # due today: no longer in the list
    assert all("устарела" in (a["text"] or "") for a in stranger.answers + student.answers[1:])
    assert await homework_ticks.ticked(app.db, ["s01", "s02", "s17"]) == {("s01", "h20261126-5a-math")}

    await student.send("/homework")  # the forged buttons took the place of the real ones in that message
    await student.click(student.last_message(), "✅ чт · Математика")  # and taken back
    assert student.last_answer() == "Отметка снята"
    assert "✅" not in student.last_message().text.split("\n\n")[-1]
    assert await homework_ticks.ticked(app.db, ["s01"]) == set()


async def test_a_parent_of_two_chooses_in_english(app: App) -> None:
    await app.link(605, "p01", "parent", language="en")
    parent = app.client(605, language_code="en")
    await parent.send("/homework")
    choice = parent.last_message()
    assert choice.text == "📝 Whose homework do you want to see?"
    await parent.click(choice, "Софья Иванова, 9В")
    view = parent.last_message()
    assert view.text.startswith("📝 Homework: Софья Иванова, 9В\nDue tomorrow and this week, to Sun, 29 November\n")
    assert "Tomorrow, Thu, 26 November\n• Математика: № 436, 438, 441 🆕\n   💬 Будет проверочная работа" in view.text
    await parent.send("/homework")  # the child chosen last opens at once
    assert parent.last_message().text.startswith("📝 Homework: Софья Иванова, 9В")


async def test_on_friday_it_shows_the_coming_week(app: App) -> None:
    app.clock.set(datetime(2026, 11, 27, 16, 0))
    await app.link(606, "s01", "student")
    student = app.client(606)
    await student.send("/homework")
    text = student.last_message().text
    assert "по вс, 6 декабря" in text and "Завтра" not in text  # Saturday has no homework
    assert text.split("\n")[3] == "пн, 30 ноября"


async def test_ticked_homework_is_left_out_of_the_evening_reminder(app: App) -> None:
    student = await follow(app, 607, "s01", "student")
    parent = await follow(app, 608, "p01", "parent", alert_homework=True)
    await poll_and_deliver(app)  # the poller has seen the homework
    await student.send("/homework")
    view = student.last_message()
    for label in ("▫️ чт · История", "▫️ чт · Литература", "▫️ чт · Математика"):
        await student.click(view, label)
    app.clock.set(datetime(2026, 11, 25, 18, 0))
    await send_due_reminders(app.ctx, app.clock.now())
    await deliver(app)
    [reminder] = [m for m in texts(student) if m.startswith("📚")]
    assert "Русский язык" in reminder
    assert not any(subject in reminder for subject in ("История", "Литература", "Математика"))
    [to_parent] = [m for m in texts(parent) if "Артём" in m and m.startswith("📚")]
    assert "История" not in to_parent  # his only child in 5А ticked it


async def test_forget_erases_the_ticks(app: App) -> None:
    await app.link(609, "s01", "student")
    student = app.client(609)
    await student.send("/homework")
    await student.click(student.last_message(), "▫️ чт · История")
    assert await homework_ticks.ticked(app.db, ["s01"])
    await student.send("/forget")
    await student.click(student.last_message(), "🗑 Стереть всё")
    assert await homework_ticks.ticked(app.db, ["s01"]) == set()


async def test_strangers_are_told_to_link_and_an_outage_offers_a_retry(
    settings: Settings, clock: ManualClock, provider
) -> None:
    flaky = FlakySchedule(provider)
    async with running_app(settings, clock, flaky) as app:
        stranger = app.client(610)
        await stranger.send("/homework")
        assert stranger.last_message().text.endswith("Привяжите свой по коду из школы: /link")
        await app.link(611, "s01", "student")
        student = app.client(611)
        await student.send("/homework")
        failed = student.last_message()
        assert "Электронный дневник не отвечает" in failed.text
        flaky.down = False
        await student.click(failed, "🔄 Попробовать снова")
        assert student.last_message().message_id == failed.message_id
        assert student.last_message().text.startswith("📝 Домашние задания: Артём Иванов, 5А")


class FlakySchedule(WrappedProvider):
    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.down = True

    async def class_schedule(self, class_name: str, start: date, end: date) -> ClassSchedule:
        if self.down:
            raise ProviderUnavailable("e-diary timeout")
        return await self.inner.class_schedule(class_name, start, end)
