"""The views never contradict an alert: once the poller has read a class, an answer about that class loaded
before (or still in flight when) it read is not served again, however fresh its cache entry."""

from __future__ import annotations

from datetime import date

from bot.alerts import poller
from bot.ediary.demo import DemoProvider, commands
from tests.alerts_story import BOTH_READ_MODES, follow, poll_and_deliver, texts
from tests.conftest import App

pytestmark = BOTH_READ_MODES  # a family's token (no class reads) shows the same, read per student

TODAY = date(2026, 11, 25)  # Wednesday, 10:00: lesson 5 of 5А (Математика, Белова) is at 12:30


async def test_today_after_a_substitution_alert_shows_the_substitute(app: App, provider: DemoProvider) -> None:
    student = await follow(app, 502, "s01", "student")
    await poller.poll(app.ctx)  # the silent first sync
    await student.send("/today")
    assert "Никитина" not in student.last_message().text
    await commands.change_lesson(provider, "5А", TODAY, 5, teacher="t07", reason="болезнь учителя")
    assert await poll_and_deliver(app) == 1
    assert "Никитина Татьяна Игоревна" in texts(student)[-1]  # the alert
    await student.send("/today")  # a moment later: the cached answer from before the poll must not win
    today = student.last_message().text
    assert "Никитина" in today and "Замена" in today
