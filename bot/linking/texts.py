"""Localized descriptions of people, shared by the chat and the printable sheet.

Functions take `gettext` (one msgid -> text) so they work in handlers (`_`) and outside an update
(`lambda m: i18n.gettext(m, locale=...)`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape

from babel.dates import format_date, format_time

from bot.ediary.model import Role
from bot.linking.people import Holder

Gettext = Callable[[str], str]


def role_label(role: str, gettext: Gettext) -> str:
    if role == Role.STUDENT:
        return gettext("student")
    if role == Role.PARENT:
        return gettext("parent")
    return gettext("teacher")


def holder_details(holder: Holder, gettext: Gettext) -> str:
    """One line after the name, plain text: 'student, 5А' / 'parent' / 'teacher: Математика; homeroom 5А'."""
    if holder.student is not None:
        return gettext("student, class {cls}").format(cls=holder.student.class_name)
    if holder.role == Role.TEACHER and holder.teacher is not None:
        text = gettext("teacher ({subjects})").format(subjects=", ".join(holder.teacher.subjects))
        if holder.teacher.homeroom_class:
            text += "; " + gettext("homeroom teacher of {cls}").format(cls=holder.teacher.homeroom_class)
        return text
    return role_label(holder.role, gettext)


def children_lines(holder: Holder) -> list[str]:
    """'Иванов Петр Сергеевич — 5А' for each child of a parent (plain text)."""
    return [f"{child.person.full_name} — {child.class_name}" for child in holder.children]


def holder_html(holder: Holder, gettext: Gettext) -> str:
    """Name, role and (for a parent) each child with their class, as Telegram HTML."""
    lines = [f"<b>{_quote(holder.person.full_name)}</b> — {_quote(holder_details(holder, gettext))}"]
    if holder.children:
        lines.append(gettext("Children:"))
        lines += [f"• {_quote(line)}" for line in children_lines(holder)]
    return "\n".join(lines)


def _quote(text: str) -> str:
    """Telegram HTML escaping (as aiogram.html.quote; not imported so the CLI starts without aiogram)."""
    return escape(text, quote=False)


def local_date(moment: datetime, tz, locale: str) -> str:
    return format_date(moment.astimezone(tz).date(), format="long", locale=locale)


def local_time(moment: datetime, tz, locale: str) -> str:
    return format_time(moment.astimezone(tz).time(), format="HH:mm", locale=locale)


def long_date(day: date, locale: str) -> str:
    return format_date(day, format="long", locale=locale)


def sheet_title(gettext: Gettext, *, class_name: str | None = None, role: str | None = None) -> str:
    """What a batch of codes is for: 'Class 5А: parents', 'Teachers', 'Personal codes'."""
    if class_name is None:
        return gettext("Teachers") if role == "teacher" else gettext("Personal codes")
    if role == "student":
        return gettext("Class {cls}: students").format(cls=class_name)
    if role == "parent":
        return gettext("Class {cls}: parents").format(cls=class_name)
    return gettext("Class {cls}: students and parents").format(cls=class_name)
