"""How an event reads, in the reader's language: one line per event (time, kind, title, whom it is for, place)
and the day it falls on. The list and the reminders share it, so they take a Translator, not `_()`.

Titles, places and descriptions are the e-diary's own words and are not translated."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from aiogram import html
from babel.dates import format_date

from bot.delivery.split import shorten
from bot.ediary.model import EventAudience, EventKind, SchoolEvent
from bot.events.audience import Scope
from bot.ui import Translator

ICONS = {EventKind.PARENT_MEETING: "👪", EventKind.SCHOOL_EVENT: "🏫", EventKind.HOLIDAY: "🎉"}
DESCRIPTION_LIMIT = 200


def local_start(event: SchoolEvent, tz: tzinfo) -> datetime:
    """School-local and naive, whether the e-diary gave it naive (already local) or aware."""
    return _local(event.start, tz)


def local_end(event: SchoolEvent, tz: tzinfo) -> datetime | None:
    return None if event.end is None else _local(event.end, tz)


def _local(moment: datetime, tz: tzinfo) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(tz).replace(tzinfo=None)


def event_day(event: SchoolEvent, tz: tzinfo) -> date:
    return local_start(event, tz).date()


def is_all_day(event: SchoolEvent, tz: tzinfo) -> bool:
    """An event without a time of day (a holiday, a break) starts at midnight."""
    return local_start(event, tz).time() == time(0)


def still_ahead(event: SchoolEvent, tz: tzinfo, now_local: datetime) -> bool:
    """Not over yet: an all-day event until its last day ends, a timed one until it ends (or starts, without
    an end)."""
    start, end = local_start(event, tz), local_end(event, tz)
    if is_all_day(event, tz):
        return (end or start).date() >= now_local.date()
    return (end or start) > now_local


def day_title(t: Translator, day: date, today: date) -> str:
    if day == today:
        return t.gettext("Today, {day}").format(day=t.day(day))
    if day == today + timedelta(days=1):
        return t.gettext("Tomorrow, {day}").format(day=t.day(day))
    return t.day(day)


def when(event: SchoolEvent, tz: tzinfo) -> str:
    """ "18:30–19:30", "18:30"; "" for an all-day event."""
    start, end = local_start(event, tz), local_end(event, tz)
    if is_all_day(event, tz):
        return ""
    if end is not None and end.date() == start.date() and end > start:
        return f"{start:%H:%M}–{end:%H:%M}"
    return f"{start:%H:%M}"


def whom(t: Translator, event: SchoolEvent, scope: Scope) -> str:
    """The class it is for, and which of a parent's children it concerns: "5А (Артём)"; "" for the school."""
    if event.audience == EventAudience.SCHOOL or event.class_name is None:
        return ""
    class_name = html.quote(event.class_name)
    label = (
        t.gettext("parents of {class_name}").format(class_name=class_name)
        if event.audience == EventAudience.CLASS_PARENTS
        else class_name
    )
    children = scope.children_in(event.class_name)
    return f"{label} ({html.quote(', '.join(children))})" if children else label


def event_line(t: Translator, event: SchoolEvent, scope: Scope, tz: tzinfo) -> str:
    line = " ".join(
        p for p in ("•", when(event, tz), ICONS.get(event.kind, "📌"), f"<b>{html.quote(event.title)}</b>") if p
    )
    end = local_end(event, tz)
    if is_all_day(event, tz) and end is not None and end.date() > event_day(event, tz):  # a break: its last day
        line += " " + t.gettext("(until {day})").format(day=format_date(end.date(), "d MMMM", locale=t.locale))
    if audience := whom(t, event, scope):
        line += f" · {audience}"
    if event.place:
        line += f" — {html.quote(event.place)}"
    if event.description:
        line += f"\n    <i>{html.quote(shorten(event.description, DESCRIPTION_LIMIT))}</i>"
    return line


def reminder_text(t: Translator, events: list[SchoolEvent], scope: Scope, tz: tzinfo, *, day: date, today: date) -> str:
    """One reminder of a day's events: "📅 Tomorrow, Thu, 26 November: 2 school events" and their lines."""
    n = len(events)
    if day == today:
        head = t.ngettext("📅 Today, {day}: {n} school event", "📅 Today, {day}: {n} school events", n)
    else:
        head = t.ngettext("📅 Tomorrow, {day}: {n} school event", "📅 Tomorrow, {day}: {n} school events", n)
    lines = [head.format(day=t.day(day), n=n), ""]
    lines += [event_line(t, event, scope, tz) for event in events]
    lines += ["", t.gettext("All coming events: /events")]
    return "\n".join(lines)
