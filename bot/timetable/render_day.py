"""A day as a Telegram message (HTML): every lesson, and its change spelled out so nobody misses it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.ediary.grading import split_attendance
from bot.ediary.model import Grade, Homework, LessonStatus
from bot.timetable.formatting import clock_time, fit, in_sentence, long_date, owner_label, room_label, teacher_name
from bot.timetable.model import DayTimetable, LessonEntry, Section

INDENT = "      "


def render_day(timetable: DayTimetable, locale: str) -> str:
    title = long_date(timetable.day, locale)
    if timetable.empty:
        lines = [_("📅 <b>{day}</b> — no lessons").format(day=title)]
        for section in timetable.sections:
            lines.append(owner_label(section.owner))
            lines += _extras(section)  # homework or marks dated that day are shown even so
        lines.append("")
        lines.append(_next_school_day(timetable, locale))
    else:
        lines = [f"📅 <b>{title}</b>{relative_day(timetable.day, timetable.today)}"]
        for section in timetable.sections:
            lines.append("")
            lines += _section(section, timetable)
    return fit(lines, footer(timetable.substitutions_known))


def relative_day(day: date, today: date) -> str:
    if day == today:
        return _(" · today")
    if day == today + timedelta(days=1):
        return _(" · tomorrow")
    if day == today - timedelta(days=1):
        return _(" · yesterday")
    return ""


def footer(substitutions_known: bool) -> list[str]:
    if substitutions_known:
        return []
    return [
        "",
        _(
            "ℹ️ This e-diary does not report substitutions, room changes or cancellations: "
            "check the school's notice board for changes."
        ),
    ]


def _next_school_day(timetable: DayTimetable, locale: str) -> str:
    if timetable.next_school_day is None:
        return _(
            "No lessons in the next {n} week.", "No lessons in the next {n} weeks.", timetable.searched_weeks
        ).format(n=timetable.searched_weeks)
    return _("Next school day: {day}.").format(day=in_sentence(timetable.next_school_day, locale))


def _section(section: Section, timetable: DayTimetable) -> list[str]:
    lines = [owner_label(section.owner)]
    if section.changes:
        lines.append(
            _("⚠️ <b>{n} change</b> in the timetable", "⚠️ <b>{n} changes</b> in the timetable", section.changes).format(
                n=section.changes
            )
        )
    if not section.lessons:
        lines.append(_("No lessons."))
    for entry in section.lessons:
        lines += _lesson(entry, timetable, section.for_teacher)
    return lines + _extras(section)


def _extras(section: Section) -> list[str]:
    """Homework and marks of the day that belong to no lesson in the timetable."""
    lines = [
        _("📝 Also due — {subject}: {text}").format(subject=html.quote(item.subject), text=_homework_text(item))
        for item in section.other_homework
    ]
    marks, attendance = split_attendance(section.other_marks)
    if marks:
        lines.append(_("✅ Other marks of the day: {marks}").format(marks=_marks(marks, with_subject=True)))
    if attendance:
        lines.append(_("🚫 Attendance: {values}").format(values=_values(attendance, with_subject=True)))
    return lines


def _lesson(entry: LessonEntry, timetable: DayTimetable, for_teacher: bool) -> list[str]:
    lesson = entry.lesson
    what = html.quote(lesson.subject)
    if for_teacher:
        what = f"{html.quote(lesson.class_name)} · {what}"
    slot = f"{clock_time(lesson.start)}–{clock_time(lesson.end)} · "
    struck = lesson.status == LessonStatus.CANCELLED or entry.handed_over
    head = f"<b>{lesson.number}.</b> " + (f"<s>{slot}{what}</s>" if struck else f"{slot}<b>{what}</b>")
    if entry.in_progress:
        head += _(" ⏰ <i>now</i>")
    lines = [head]
    details = _details(entry, timetable, for_teacher)
    if details:
        lines.append(INDENT + details)
    lines += [INDENT + change for change in _changes(entry, timetable)]
    for item in entry.homework:
        lines.append(INDENT + _("📝 Homework: {text}").format(text=_homework_text(item)))
    marks, attendance = split_attendance(entry.marks)
    if marks:
        shown = _marks(marks, names=timetable.names, taught_by=lesson.teacher_id)
        lines.append(INDENT + _("✅ Mark: {marks}", "✅ Marks: {marks}", len(marks)).format(marks=shown))
    if attendance:
        lines.append(INDENT + _("🚫 Attendance: {values}").format(values=_values(attendance)))
    return lines


def _details(entry: LessonEntry, timetable: DayTimetable, for_teacher: bool) -> str:
    """Room and teacher as they are now (the change lines say what they were)."""
    lesson = entry.lesson
    if lesson.status == LessonStatus.CANCELLED or entry.handed_over:
        return ""
    parts = []
    if lesson.room and lesson.original_room is None:
        parts.append(room_label(lesson.room))
    if not for_teacher and lesson.status != LessonStatus.SUBSTITUTED and lesson.teacher_id:
        parts.append(teacher_name(timetable.names, lesson.teacher_id))
    return " · ".join(p for p in parts if p)


def _changes(entry: LessonEntry, timetable: DayTimetable) -> list[str]:
    lesson = entry.lesson
    changes = []
    if lesson.status == LessonStatus.CANCELLED:
        changes.append(_("❌ <b>Cancelled</b>"))
    elif entry.handed_over:
        changes.append(
            _("🔁 <b>Handed to a substitute</b>: {substitute} teaches it").format(
                substitute=teacher_name(timetable.names, lesson.teacher_id)
            )
        )
    elif entry.covering:
        changes.append(
            _("🔁 <b>You substitute</b> for {teacher}").format(
                teacher=teacher_name(timetable.names, lesson.original_teacher_id)
            )
        )
    elif lesson.status == LessonStatus.SUBSTITUTED:
        changes.append(
            _("🔁 <b>Substitute</b>: {substitute} (instead of {teacher})").format(
                substitute=teacher_name(timetable.names, lesson.teacher_id),
                teacher=teacher_name(timetable.names, lesson.original_teacher_id) or _("the usual teacher"),
            )
        )
    elif lesson.status == LessonStatus.ADDED:
        changes.append(_("➕ <b>Added lesson</b>"))
    if lesson.original_room is not None and lesson.status != LessonStatus.CANCELLED and not entry.handed_over:
        changes.append(
            _("🚪 <b>Room changed</b>: <s>{old}</s> → <b>{new}</b>").format(
                old=html.quote(lesson.original_room), new=html.quote(lesson.room or "?")
            )
        )
    if changes and lesson.reason:
        changes[0] += _(", reason: {reason}").format(reason=f"<i>{html.quote(lesson.reason)}</i>")
    return changes


def _homework_text(item: Homework) -> str:
    text = html.quote(item.text)
    if item.attachments:
        n = len(item.attachments)
        text += " " + _("(📎 {n} file)", "(📎 {n} files)", n).format(n=n)
    return text


def _values(attendance: list[Grade], *, with_subject: bool = False) -> str:
    """Attendance as the e-diary wrote it ('н'), after its subject where the lesson does not say it."""
    return ", ".join(
        f"{html.quote(g.subject)} {html.quote(g.value)}" if with_subject else html.quote(g.value) for g in attendance
    )


def _marks(
    marks: Sequence[Grade],
    *,
    with_subject: bool = False,
    names: Mapping[str, str] | None = None,
    taught_by: str | None = None,
) -> str:
    """'5 (Ответ на уроке)'; a mark given by someone other than the lesson's teacher (`taught_by`) names who
    gave it: '5 (Ответ на уроке · Орлова О. С.)'."""
    parts = []
    for mark in marks:
        text = f"<b>{html.quote(mark.value)}</b>"
        details = [html.quote(mark.work_type)] if mark.work_type else []
        if names is not None and mark.teacher_id in names and mark.teacher_id != taught_by:
            details.append(teacher_name(names, mark.teacher_id))
        if details:
            text += f" ({' · '.join(details)})"
        if with_subject:
            text = f"{html.quote(mark.subject)} {text}"
        parts.append(text)
    return ", ".join(parts)
