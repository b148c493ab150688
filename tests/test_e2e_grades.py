"""The real bot process: a parent opens /grades, picks a child and a subject — one message, edited in place."""

from pathlib import Path

from bot.clock import SystemClock
from bot.ediary.demo import DemoProvider
from bot.ediary.demo import commands as demo_commands
from bot.ediary.demo.school_calendar import quarters, school_year_of
from bot.ediary.grading import current_period
from storage import links as links_repo
from storage import users as users_repo
from storage.db import Database
from tests.e2e import running_bot
from tests.harness import FakeTelegram

PARENT = 1001


async def link_in_the_bots_database(path: Path, user_id: int, person_id: str, role: str) -> None:
    """Linking is its own feature; here the link is written straight into the bot's database."""
    clock = SystemClock("Europe/Moscow")
    db = await Database.open(path)
    try:
        await users_repo.touch_user(db, user_id, "ru", clock.now())
        await links_repo.add_link(db, user_id, person_id, role, clock.now())
    finally:
        await db.close()


async def give_a_mark(path: Path) -> str:
    """A mark in the current period (real time: in the holidays, the period that just ended)."""
    clock = SystemClock("Europe/Moscow")
    period = current_period(quarters(school_year_of(clock.today())), clock.today())
    school = await DemoProvider.open(path, clock)
    try:
        await demo_commands.add_grade(
            school,
            "s01",
            "Математика",
            "5",
            min(clock.today(), period.end),
            "Контрольная работа",
            comment="Отлично решил",
        )
    finally:
        await school.close()
    return period.name


async def test_a_parent_walks_grades_child_subject(tmp_path: Path) -> None:
    await link_in_the_bots_database(tmp_path / "bot.sqlite3", PARENT, "p01", "parent")
    period_name = await give_a_mark(tmp_path / "demo.sqlite3")  # the path tests/e2e.py gives the bot

    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg):
        parent = tg.user(PARENT, first_name="Алексей", language_code="ru")
        await parent.send("/grades")
        chooser = await parent.wait_reply()
        assert chooser.text == "Чьи оценки показать?"

        await parent.click(chooser, "Артём Иванов, 5А")
        subjects = await parent.wait_reply(predicate=lambda m: m.text.startswith("📚"))
        assert subjects.message_id == chooser.message_id
        assert f"📚 Артём Иванов, 5А\n{period_name}," in subjects.text

        await parent.click(subjects, "Математика")
        maths = await parent.wait_reply(predicate=lambda m: m.text.startswith("📘"))
        assert maths.message_id == chooser.message_id
        assert "📘 Математика — Артём Иванов, 5А" in maths.text
        assert "5 · Контрольная работа, вес 2 · Белова Е. В." in maths.text
        assert "«Отлично решил»" in maths.text

        await parent.click(maths, "⬅️ Назад")
        back = await parent.wait_reply(predicate=lambda m: m.text.startswith("📚"))
        assert back.message_id == chooser.message_id
        assert len(tg.sent("sendMessage", chat_id=PARENT)) == 1  # everything else was an edit
