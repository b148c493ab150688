"""Sending through the real clock: a message to someone outside their quiet hours is never said to be deferred
(issue 11, item 1: two clock reads a few microseconds apart made every message look deferred)."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from bot.clock import SystemClock
from bot.config import Settings
from bot.ediary.demo import DemoProvider
from storage import preferences as prefs_repo
from tests.conftest import running_app
from tests.demo_school import copy_demo_school
from tests.messaging_story import PARENT, TEACHER, family_and_teacher, write_to_teacher


async def test_a_message_sent_outside_quiet_hours_is_not_said_to_wait_for_them(settings: Settings) -> None:
    clock = SystemClock(settings.tz)
    await copy_demo_school(settings.demo_database_path, clock)
    provider = await DemoProvider.open(settings.demo_database_path, clock)
    try:
        async with running_app(settings, clock, provider) as app:
            parent, teacher = await family_and_teacher(app)
            for user_id in (PARENT, TEACHER):  # no quiet hours at all, whatever the time of this run
                prefs = await prefs_repo.get_preferences(app.db, user_id)
                await prefs_repo.save_preferences(
                    app.db, user_id, replace(prefs, quiet_start=time(0), quiet_end=time(0))
                )

            answer = await write_to_teacher(parent)
            assert answer.text.startswith("✅ Отправлено"), answer.text
            assert "тишины" not in answer.text and "уведомление придёт" not in answer.text

            await teacher.send("/inbox")  # the teacher answers from the conversation list
            await teacher.click(teacher.last_message(), "Иванов")
            await teacher.click(teacher.last_message(), "Ответить")
            await teacher.send("Спасибо, выздоравливайте!")
            back = teacher.last_message().text
            assert back.startswith("✅ Отправлено"), back
            assert "тишины" not in back and "уведомление придёт" not in back
    finally:
        await provider.close()


def test_the_family_relation_fits_the_students_sex_and_is_neutral_when_unknown() -> None:
    """«родитель ученицы» for a girl, «ученика» for a boy, neutral words when the e-diary gives no sex."""
    from datetime import UTC, datetime

    from bot.i18n import create_i18n
    from bot.messaging.render import family_relation
    from bot.ui import Translator
    from storage.messages import Thread

    def thread(role: str, sex: str | None) -> Thread:
        return Thread(
            1, "p", role, "t", "s", "Петров С. Н.", "Белова Е. В.", (), "Петрова Анна", "5А", datetime.now(UTC), sex
        )

    ru, en = Translator(create_i18n(), "ru"), Translator(create_i18n(), "en")
    assert family_relation(thread("parent", "female"), ru) == "родитель ученицы Петрова Анна, 5А класс"
    assert family_relation(thread("parent", "male"), ru) == "родитель ученика Петрова Анна, 5А класс"
    assert family_relation(thread("parent", None), ru) == "родитель: Петрова Анна, 5А класс"
    assert family_relation(thread("student", "female"), ru) == "ученица 5А класса"
    assert family_relation(thread("student", None), ru) == "учащийся 5А класса"
    assert family_relation(thread("parent", "female"), en) == "parent of Петрова Анна, class 5А"
