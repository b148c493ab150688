"""The real bot process: staff record a substitution with `ediary-bot demo substitute`, and a parent sees it
in /today through the fake Bot API server (or on the next school day, reached with the day buttons)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.clock import SystemClock
from bot.ediary.demo import DemoProvider
from bot.ediary.demo.school_calendar import is_school_day
from bot.ediary.model import Role
from storage import links, users
from storage.db import Database
from tests.e2e import running_bot
from tests.harness import FakeTelegram

SCHOOL_TZ = ZoneInfo("Europe/Moscow")  # the default TIMEZONE
SERVER_TZ = "Pacific/Kiritimati"  # UTC+14: a different date from Moscow's for ten hours a day
PARENT = 1001
CHILD_CLASS = "5А"  # p05's only child, Кирилл Сидоров
TWO_CHILDREN_PARENT = 1002


def next_school_day(today: date) -> date:
    day = today
    while not is_school_day(day):
        day += timedelta(days=1)
    return day


async def link_parent(tmp_path: Path, user_id: int = PARENT, person_id: str = "p05") -> None:
    """Linking is a feature of its own: put the link straight into the bot's database."""
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        now = datetime.now(SCHOOL_TZ)
        await users.touch_user(db, user_id, "ru", now)
        await links.add_link(db, user_id, person_id, "parent", now)
    finally:
        await db.close()


async def free_teacher(tmp_path: Path, day: date) -> tuple[str, str]:
    """A teacher (id, full name) with no lesson at the first bell of `day`, read from the demo school."""
    demo = await DemoProvider.open(tmp_path / "demo.sqlite3", SystemClock(SCHOOL_TZ))
    try:
        first_bell = [
            lesson for lesson in await demo.lessons(list(demo.directory.classes), day, day) if lesson.number == 1
        ]
        busy = {lesson.teacher_id for lesson in first_bell} | {lesson.original_teacher_id for lesson in first_bell}
        teachers = await demo.list_people(role=Role.TEACHER)
        free = next(t for t in teachers if t.id not in busy)
        return free.id, free.full_name
    finally:
        await demo.close()


def initials(full_name: str) -> str:
    surname, *rest = full_name.split()
    return " ".join([surname, *(f"{p[0]}." for p in rest)])


async def test_a_substitution_added_by_staff_shows_in_today(tmp_path: Path) -> None:
    await link_parent(tmp_path)
    # the server's clock is set to UTC+14: the school's day (TIMEZONE, Moscow) must still win
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg, TZ=SERVER_TZ) as bot:
        today = datetime.now(SCHOOL_TZ).date()
        day = next_school_day(today)
        teacher_id, substitute = await free_teacher(tmp_path, day)
        await bot.cli(
            "demo",
            "substitute",
            "--class",
            CHILD_CLASS,
            "--date",
            day.isoformat(),
            "--lesson",
            "1",
            "--teacher",
            teacher_id,
            "--reason",
            "болезнь учителя",
        )

        parent = tg.user(PARENT, first_name="Дмитрий", language_code="ru")
        await parent.send("/today")
        reply = await parent.wait_reply()
        if day != today:  # a weekend or holidays: the empty day offers the next school day
            assert "уроков нет" in reply.text
            await parent.click(reply, "➡️")
            reply = await parent.wait_reply()
        assert "👤 Кирилл Сидоров, 5А" in reply.text
        assert f"🔁 Замена: ведёт {initials(substitute)} (по расписанию — " in reply.text, reply.text
        assert "причина: болезнь учителя" in reply.text
        heading = format_date(day, "EEEE, d MMMM", locale="ru")
        assert reply.text.splitlines()[0].startswith(f"📅 {heading[0].upper()}{heading[1:]}"), reply.text
        assert "Traceback" not in bot.log()


async def test_a_parent_of_two_chooses_once_and_the_bot_remembers_after_a_restart(tmp_path: Path) -> None:
    await link_parent(tmp_path, TWO_CHILDREN_PARENT, "p01")  # Артём Иванов (5А) and Софья Иванова (9В)
    async with FakeTelegram(token="42:TEST") as tg:
        parent = tg.user(TWO_CHILDREN_PARENT, first_name="Алексей", language_code="ru")
        async with running_bot(tmp_path, tg):
            await parent.send("/today")
            chooser = await parent.wait_reply()
            assert chooser.text.endswith("Чьё расписание показать?")
            await parent.click(chooser, "👤 Софья Иванова, 9В")
            await parent.wait_reply(predicate=lambda m: "👤 Софья Иванова, 9В" in m.text)
        async with running_bot(tmp_path, tg):  # a new process on the same database
            await parent.send("/today")
            view = await parent.wait_reply()
            assert "👤 Софья Иванова, 9В" in view.text and "Артём" not in view.text, view.text
            edits = len(tg.sent("editMessageText"))
            await parent.click(view, "• 👤 Софья")  # the child already shown
            assert await parent.wait_answer() is None
            assert len(tg.sent("editMessageText")) == edits  # nothing for Telegram to refuse as "not modified"
            await parent.click(view, "👤 Артём")  # the other child: one tap
            switched = await parent.wait_reply(predicate=lambda m: "👤 Артём Иванов, 5А" in m.text)
            assert switched.message_id == view.message_id
        assert tg.core.refusals == []
