"""Small pieces of the timetable text: teacher names, rooms, and a timetable too long for one message."""

from __future__ import annotations

from bot.timetable.formatting import TELEGRAM_TEXT_LIMIT, fit, initials
from tests.harness.updates import render_html


def test_teachers_are_named_as_school_timetables_do() -> None:
    assert initials("Белова Елена Викторовна") == "Белова Е. В."
    assert initials("Smith John") == "Smith J."
    assert initials("Платон") == "Платон"


def test_a_timetable_too_long_for_one_message_is_cut_between_lines_keeping_the_footer() -> None:
    lines = [f"<b>{n}.</b> <s>{'Физическая культура ' * 5}</s> 📝" for n in range(200)]
    footer = ["", "ℹ️ Этот электронный дневник не сообщает о заменах"]
    text = fit(lines, footer)
    assert len(text.encode("utf-16-le")) // 2 <= TELEGRAM_TEXT_LIMIT
    assert text.endswith("…\n\nℹ️ Этот электронный дневник не сообщает о заменах")
    render_html(text)  # still valid HTML for Telegram
    assert fit(lines[:3], footer) == "\n".join([*lines[:3], *footer])  # short timetables are left alone
