"""The /marks screens (HTML): each child's marks of one day, and what is said instead. Called inside a handler,
where `_()` knows the user's language."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from aiogram import html
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.ediary.model import Grade, Role, Student
from bot.ediary.names import initials
from bot.i18n import format_day, format_day_skeleton, format_number
from bot.ui import Screen, outage_screen

if TYPE_CHECKING:
    from bot.marks.service import ChildMarks


# --- screens ------------------------------------------------------------------------------------
def marks(children: list[ChildMarks], today: date) -> Screen:
    blocks = []
    for child in children:
        lines = [html.bold(html.quote(_child_label(child.student)))]
        if child.day is None:
            lines.append(_("No marks since {date}.").format(date=_day_month(child.searched_from)))
        elif child.day == today:
            lines.append(_("Today, {day}:").format(day=_long_day(today)))
        else:
            lines.append(_("No marks today. Last marks — {day}:").format(day=_long_day(child.day)))
        lines += [_mark_line(g, child.substitutes.get(g.id)) for g in child.grades]
        if child.attendance_today:
            lessons = ", ".join(f"{html.quote(g.subject)} {html.quote(g.value)}" for g in child.attendance_today)
            lines.append(_("🚫 Attendance today (not marks): {lessons}").format(lessons=lessons))
        blocks.append("\n".join(lines))
    return Screen("\n\n".join(blocks))


def no_access(roles: Collection[Role]) -> Screen:
    """For an account that sees no student as family: why, by what it is linked as."""
    if set(roles) & {Role.PARENT, Role.STUDENT}:
        return Screen(
            _(
                "The e-diary lists no students for your account. If that is wrong, ask the school, "
                "or link again with a new code: /link"
            )
        )
    if Role.TEACHER in roles:
        return Screen(
            _(
                "Marks by child are for students and parents; your account is linked as a teacher. "
                "If your own child studies here, link with the parent code from the school: /link"
            )
        )
    return Screen(
        _(
            "Marks are shown to linked students and parents. Link your account first: "
            "send /link and the one-time code the school gave you."
        )
    )


def outage(retry_data: str) -> Screen:
    return outage_screen(_("The e-diary is not answering. Please try again in a minute."), retry_data)


# --- pieces -------------------------------------------------------------------------------------
def _mark_line(grade: Grade, substitute: str | None) -> str:
    """ "• Математика: <b>5</b> — Контрольная работа, вес 2", who gave it when a cover teacher did, the teacher's
    comment below."""
    parts = [html.quote(grade.work_type)] if grade.work_type else []
    if grade.weight != 1:
        weight = format_number(grade.weight, "0.##", _locale())
        parts.append(_("weight {weight}").format(weight=weight))
    line = f"• {html.quote(grade.subject)}: <b>{html.quote(grade.value)}</b>"
    line += f" — {', '.join(parts)}" if parts else ""
    if substitute is not None:
        line += " · " + _("🔁 {teacher}, covering").format(teacher=html.quote(initials(substitute)))
    if grade.comment:
        line += "\n   " + html.italic(html.quote(grade.comment))
    return line


def _child_label(student: Student) -> str:
    return f"{student.person.short_name}, {student.class_name}"


def _day_month(day: date) -> str:
    return format_day_skeleton(day, "MMMMd", _locale())


def _long_day(day: date) -> str:
    """ "среда, 25 ноября" / "Wednesday, November 25"."""
    return f"{format_day(day, 'EEEE', _locale())}, {_day_month(day)}"


def _locale() -> str:
    return get_i18n().current_locale
