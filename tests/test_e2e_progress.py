"""The real bot process on the real clock: a parent opens /progress, gets a chart as a photo, and gets a /report
PDF as a document, through the fake Bot API."""

import io
from pathlib import Path

from pypdf import PdfReader

from bot.clock import SystemClock
from bot.ediary.demo import DemoProvider
from bot.ediary.demo import commands as demo_commands
from bot.ediary.demo.school_calendar import quarters, school_year_of
from bot.ediary.grading import current_period
from storage import links as links_repo
from storage import users as users_repo
from storage.db import Database
from tests.demo_school import copy_demo_school
from tests.e2e import running_bot
from tests.harness import FakeTelegram
from tests.png import png_size

PARENT = 1001


async def a_linked_parent(path: Path) -> None:
    """Linking is its own feature: the parent's link goes straight into the bot's database."""
    clock = SystemClock("Europe/Moscow")
    db = await Database.open(path)
    try:
        await users_repo.touch_user(db, PARENT, "ru", clock.now())
        await links_repo.add_link(db, PARENT, "p01", "parent", clock.now())
    finally:
        await db.close()


async def a_mark_this_period(path: Path) -> str:
    """The demo school with a mark in the current period (in the holidays, the one that just ended)."""
    clock = SystemClock("Europe/Moscow")
    await copy_demo_school(path, clock)
    period = current_period(quarters(school_year_of(clock.today())), clock.today())
    school = await DemoProvider.open(path, clock)
    try:
        await demo_commands.add_grade(school, "s01", "Математика", "5", min(clock.today(), period.end), "Тест")
    finally:
        await school.close()
    return period.name


async def test_progress_chart_and_report_through_the_real_process(tmp_path: Path) -> None:
    await a_linked_parent(tmp_path / "bot.sqlite3")
    period_name = await a_mark_this_period(tmp_path / "demo.sqlite3")  # the path tests/e2e.py gives the bot

    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg):
        parent = tg.user(PARENT, first_name="Алексей", language_code="ru")
        await parent.send("/progress")
        chooser = await parent.wait_reply()
        assert chooser.text == "📈 Чью успеваемость показать?"
        await parent.click(chooser, "Артём Иванов, 5А")
        progress = await parent.wait_reply(predicate=lambda m: (m.text or "").startswith("📈 Артём"))
        assert progress.message_id == chooser.message_id
        assert f"\n{period_name}, " in progress.text and "Математика: " in progress.text

        await parent.click(progress, "📊 График")
        photo = await parent.wait_reply(predicate=lambda m: bool(m.photo))
        assert photo.caption.startswith("📊 Артём Иванов, 5А — все предметы")
        assert png_size(tg.core.files[photo.photo[-1].file_id])[0] == 800

        await parent.send("/report")
        reports = await parent.wait_reply(predicate=lambda m: m.text == "📄 Чей отчёт подготовить?")
        await parent.click(reports, "Артём Иванов, 5А")
        periods = await parent.wait_reply(predicate=lambda m: (m.text or "").startswith("📄 Отчёт в PDF"))
        await parent.click(periods, period_name)
        document = await parent.wait_reply(predicate=lambda m: m.document is not None)
        assert document.caption.startswith(f"📄 Отчёт: Артём Иванов, 5А, {period_name}")
        pdf = PdfReader(io.BytesIO(tg.core.files[document.document.file_id]))
        text = " ".join("\n".join(page.extract_text() for page in pdf.pages).split())
        assert "Отчёт об успеваемости" in text and "Математика" in text and "Посещаемость" in text
