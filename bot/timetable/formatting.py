"""Small formatting helpers shared by the day and week texts and the buttons (dates, names, rooms)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.ediary.model import Student, Teacher
from bot.ediary.names import initials
from bot.i18n import format_day

TELEGRAM_TEXT_LIMIT = 4096


def long_date(day: date, locale: str) -> str:
    """'Суббота, 28 ноября' / 'Saturday, 28 November': a heading or a button, where a line begins."""
    return _capital(in_sentence(day, locale))


def in_sentence(day: date, locale: str) -> str:
    """'суббота, 28 ноября' / 'Saturday, 28 November': inside a sentence, as the language writes weekdays there
    (Babel's format form: lower case in Russian)."""
    return format_day(day, "EEEE, d MMMM", locale)


def short_date(day: date, locale: str) -> str:
    """'Сб 28.11' / 'Sat 28.11' (buttons)."""
    return _capital(format_day(day, "EEE dd.MM", locale))


def day_month(day: date, locale: str) -> str:
    return format_day(day, "d MMMM", locale)


def clock_time(moment: time) -> str:
    return moment.strftime("%H:%M")


def room_label(room: str) -> str:
    """'204' -> 'каб. 204'; a named room ('Спортзал') stays as it is."""
    if room[:1].isdigit():
        return _("room {room}").format(room=html.quote(room))
    return html.quote(room)


def owner_label(owner: Student | Teacher) -> str:
    if isinstance(owner, Teacher):
        return _("👩‍🏫 {name} — your lessons").format(name=html.quote(initials(owner.person.full_name)))
    return _("👤 {name}, {class_name}").format(
        name=html.quote(owner.person.short_name), class_name=html.quote(owner.class_name)
    )


def choice_label(owner: Student | Teacher) -> str:
    """A button naming whose timetable it opens."""
    if isinstance(owner, Teacher):
        return _("👩‍🏫 My lessons ({name})").format(name=initials(owner.person.full_name))
    return _("👤 {name}, {class_name}").format(name=owner.person.short_name, class_name=owner.class_name)


def switch_labels(owners: Sequence[Student | Teacher | None]) -> list[str]:
    """Short button labels for the switch between an account's timetables (None: all its children): a child's
    first name (with the class where two share it), "My lessons", "All"."""
    firsts = [o.person.short_name.split()[0] for o in owners if isinstance(o, Student) and o.person.short_name]
    labels = []
    for owner in owners:
        if owner is None:
            labels.append(_("👨‍👩‍👧 All"))
        elif isinstance(owner, Teacher):
            labels.append(_("👩‍🏫 My lessons"))
        else:
            first = owner.person.short_name.split()[0] if owner.person.short_name else owner.id
            labels.append(f"👤 {first}" if firsts.count(first) == 1 else f"👤 {first}, {owner.class_name}")
    return labels


def teacher_name(names: Mapping[str, str], teacher_id: str | None) -> str:
    if not teacher_id:
        return ""
    return html.quote(initials(names.get(teacher_id, teacher_id)))


def fit(lines: list[str], tail: Sequence[str] = (), limit: int = TELEGRAM_TEXT_LIMIT) -> str:
    """Join lines and the tail (kept whole); drop body lines from the end to fit one message.
    Every line's tags are balanced, so any cut is valid HTML; sizes are counted generously (tags, UTF-16)."""

    def size(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    text = "\n".join([*lines, *tail])
    if size(text) <= limit:
        return text
    budget = limit - size("\n".join(["…", *tail])) - 1
    kept: list[str] = []
    for line in lines:
        budget -= size(line) + 1
        if budget < 0:
            break
        kept.append(line)
    return "\n".join([*kept, "…", *tail])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
