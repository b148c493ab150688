"""The /homework screens (HTML, in the user's language through `_()`): a child's homework by day and subject, the
tick buttons of a student, the child switch, and what is said instead."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from aiogram import html
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.ediary.model import Homework, Student
from bot.homework.callbacks import MAX_ID, HomeworkTickCb, HomeworkViewCb
from bot.i18n import format_day
from bot.ui import Screen, outage_screen
from bot.ui.keyboard import Keyboard

if TYPE_CHECKING:
    from bot.homework.service import HomeworkView

TEXT_LIMIT = 4096  # Telegram's, for the whole screen
MAX_TASK = 400  # characters of one task's text shown (the rest is in the e-diary)
DONE, NOT_DONE = "✅", "▫️"


def homework_screen(view: HomeworkView) -> Screen:
    title = "📝 <b>" + _("Homework: {child}").format(child=html.quote(child_label(view.student))) + "</b>"
    lines = [title, _("Due tomorrow and this week, to {day}").format(day=_day(view.end))]
    footer = []
    every = [h for __, items in view.days for h in items]
    if any(h.assigned == view.today for h in every):
        footer.append("🆕 " + _("set today"))
    if view.ticked & {h.id for h in every}:
        footer.append(DONE + " " + (_("done: you ticked it") if view.own else _("done: ticked by the student")))
    blocks = [_day_block(view, day, items) for day, items in view.days] or [_("Nothing is due in these days.")]
    limit = TEXT_LIMIT - len("\n".join(lines + footer)) - 100
    shown: list[str] = []
    for block in blocks:  # whole days, as many as fit; the rest is in the e-diary
        if sum(len(b) + 2 for b in shown) + len(block) > limit:
            shown.append(_("… more in the e-diary"))
            break
        shown.append(block)
    text = "\n\n".join(["\n".join(lines), *shown] + (["\n".join(footer)] if footer else []))
    return Screen(text, _keyboard(view))


def choice_screen(children: tuple[Student, ...]) -> Screen:
    kb = Keyboard()
    for child in children:
        kb.button(text=child_label(child), callback_data=HomeworkViewCb(student=child.id))
    kb.adjust(1)
    return Screen("📝 " + _("Whose homework do you want to see?"), kb.as_markup())


def not_family() -> Screen:
    return Screen(
        _(
            "Homework is shown to students and parents whose account is linked to the e-diary. "
            "Link yours with the code the school gave you: /link"
        )
    )


def outage(retry_data: str) -> Screen:
    return outage_screen(_("The e-diary is not answering. Please try again in a minute."), retry_data)


def stale_text() -> str:
    return _("This button is out of date. Please open /homework again.")


def tick_notice(done: bool) -> str:
    return _("Marked as done") if done else _("Mark removed")


def child_label(student: Student) -> str:
    """Plain text (for buttons); quote it for messages."""
    return f"{student.person.short_name}, {student.class_name}"


# --- pieces -------------------------------------------------------------------------------------
def _day_block(view: HomeworkView, day: date, items: tuple[Homework, ...]) -> str:
    label = _("Tomorrow, {day}").format(day=_day(day)) if day == view.start else _day(day)
    lines = [f"<b>{html.quote(label)}</b>"]
    for homework in items:
        text = homework.text if len(homework.text) <= MAX_TASK else homework.text[:MAX_TASK].rstrip() + "…"
        mark = f"{DONE} " if homework.id in view.ticked else ""
        new = " 🆕" if homework.assigned == view.today else ""
        lines.append(f"• {mark}<b>{html.quote(homework.subject)}</b>: {html.quote(text)}{new}")
        if homework.attachments:
            lines.append("   📎 " + html.quote(", ".join(homework.attachments)))
        if homework.comment:
            lines.append(f"   💬 <i>{html.quote(homework.comment)}</i>")
    return "\n".join(lines)


def _keyboard(view: HomeworkView) -> InlineKeyboardMarkup:
    kb = Keyboard()
    ticks = 0
    if view.own:  # ticks are the student's own: a parent only sees them
        for day, items in view.days:
            for homework in items:
                if len(homework.id.encode()) > MAX_ID:
                    continue  # an id too long for a button: not tickable here
                mark = DONE if homework.id in view.ticked else NOT_DONE
                weekday = format_day(day, "EEE", _locale())
                kb.button(
                    text=f"{mark} {weekday} · {homework.subject}", callback_data=HomeworkTickCb(homework=homework.id)
                )
                ticks += 1
    for child in view.children:
        label = child_label(child)
        kb.button(
            text=f"• {label} •" if child.id == view.student.id else label,
            callback_data=HomeworkViewCb(student=child.id),
        )
    kb.adjust(*([2] * (ticks // 2) + [1] * (ticks % 2) + [1] * len(view.children)))
    return kb.as_markup()


def _day(day: date) -> str:
    """ "чт, 26 ноября" / "Thu, 26 November"."""
    return format_day(day, "EEE, d MMMM", _locale())


def _locale() -> str:
    return get_i18n().current_locale
