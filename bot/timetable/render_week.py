"""A school week as one compact message: a line per lesson, changes marked with a symbol."""

from __future__ import annotations

from datetime import timedelta

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.ediary.model import LessonStatus
from bot.timetable.formatting import clock_time, day_month, fit, long_date, owner_label, teacher_name
from bot.timetable.model import LessonEntry, WeekTimetable
from bot.timetable.render_day import footer


def render_week(timetable: WeekTimetable, locale: str) -> str:
    lines = [f"🗓 <b>{_week_title(timetable, locale)}</b>{_relative_week(timetable)}"]
    owners = timetable.sections[0] if timetable.sections else ()
    several = len(owners) > 1
    if not several:
        lines += [owner_label(section.owner) for section in owners]
    for day, sections in zip(timetable.days, timetable.sections, strict=True):
        lines.append("")
        head = f"<b>{long_date(day, locale)}</b>"
        if day == timetable.today:
            head += _(" · today")
        count = sum(len(s.lessons) for s in sections)
        if count == 0:
            lines.append(head + _(" — no lessons"))
            continue
        lines.append(head)
        for section in sections:
            if several:
                lines.append(owner_label(section.owner))
            if several and not section.lessons:
                lines.append(_("No lessons."))
            lines += [_lesson_line(entry, timetable, section.for_teacher) for entry in section.lessons]
    if timetable.has_changes:
        lines += ["", _("🔁 substitute · 🚪 other room · ❌ cancelled · ➕ added lesson")]
    return fit(lines, footer(timetable.substitutions_known))


def _week_title(timetable: WeekTimetable, locale: str) -> str:
    first, last = timetable.days[0], timetable.days[-1]
    if first.month == last.month:
        span = f"{first.day}–{day_month(last, locale)}"
    else:
        span = f"{day_month(first, locale)} – {day_month(last, locale)}"
    return _("Week of {span}").format(span=span)


def _relative_week(timetable: WeekTimetable) -> str:
    this_monday = timetable.today - timedelta(days=timetable.today.weekday())
    if timetable.monday == this_monday:
        return _(" · this week")
    if timetable.monday == this_monday + timedelta(days=7):
        return _(" · next week")
    return ""


def _lesson_line(entry: LessonEntry, timetable: WeekTimetable, for_teacher: bool) -> str:
    lesson = entry.lesson
    what = html.quote(lesson.subject)
    if for_teacher:
        what = f"{html.quote(lesson.class_name)} {what}"
    text = f"{clock_time(lesson.start)} {what}"
    struck = lesson.status == LessonStatus.CANCELLED or entry.handed_over
    line = f"{lesson.number}. " + (f"<s>{text}</s>" if struck else text)
    if lesson.status == LessonStatus.CANCELLED:
        line += " ❌"
    elif entry.handed_over:
        line += f" 🔁 {teacher_name(timetable.names, lesson.teacher_id)}"
    elif entry.covering:
        line += " 🔁 " + _("for {teacher}").format(teacher=teacher_name(timetable.names, lesson.original_teacher_id))
    elif lesson.status == LessonStatus.SUBSTITUTED:
        line += f" 🔁 {teacher_name(timetable.names, lesson.teacher_id)}"
    elif lesson.status == LessonStatus.ADDED:
        line += " ➕"
    if lesson.original_room is not None and not struck:
        line += f" 🚪 {html.quote(lesson.room or '?')}"
    return line
