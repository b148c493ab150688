"""Alert texts in each recipient's language. Jobs have no `_()`: a bot.ui.Translator carries the locale.

Notices are plain JSON-able dicts (they also wait in the daily summary), rendered only when sent:
- grades:    {"student_id", "student_name", "changes": [{"kind", "grade", "old"}]}
- timetable: {"class_name", "changes": [{"kind", "lesson", "old"}]}
- attendance: {"student_id", "student_name" (first name), "student_sex", "marks": [model.AttendanceMark as JSON]}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from aiogram import html

from bot.alerts.detect import ChangeKind
from bot.ediary.model import AbsenceReason, AttendanceKind, LessonStatus, Sex
from bot.ui import Translator


def q(value: object) -> str:
    return html.quote(str(value))


# --- grades -------------------------------------------------------------------------------------
def render_grades(t: Translator, notice: dict[str, Any], *, for_student: bool) -> str:
    changes = notice["changes"]
    name = q(notice["student_name"])
    if all(c["kind"] == ChangeKind.NEW for c in changes):
        n = len(changes)
        if for_student:
            title = (
                t.gettext("You have a new grade")
                if n == 1
                else t.ngettext("You have {n} new grade", "You have {n} new grades", n).format(n=n)
            )
        elif n == 1:
            title = t.gettext("New grade for {name}").format(name=name)
        else:
            title = t.ngettext("{n} new grade for {name}", "{n} new grades for {name}", n).format(n=n, name=name)
    else:
        title = (
            t.gettext("Changes to your grades")
            if for_student
            else t.gettext("Grade changes for {name}").format(name=name)
        )
    lines = [f"📝 <b>{title}</b>", ""]
    for change in changes:
        lines.extend(_grade_lines(t, change))
    return "\n".join(lines)


def _grade_lines(t: Translator, change: dict[str, Any]) -> list[str]:
    grade, old = change["grade"], change.get("old") or {}
    subject, value = q(grade["subject"]), q(grade["value"])
    details = ", ".join(q(part) for part in (grade.get("work_type"), t.day(grade["date"])) if part)
    if change["kind"] == ChangeKind.NEW:
        head = t.gettext("<b>{subject}</b>: <b>{value}</b>").format(subject=subject, value=value)
    elif change["kind"] == ChangeKind.REMOVED:
        head = "🗑 " + t.gettext("<b>{subject}</b>: {value} removed").format(subject=subject, value=value)
    elif old.get("value") not in (None, grade["value"]):
        head = "✏️ " + t.gettext("<b>{subject}</b>: {old} → <b>{value}</b>").format(
            subject=subject, old=q(old["value"]), value=value
        )
    else:
        head = "✏️ " + t.gettext("<b>{subject}</b>: <b>{value}</b> (details corrected)").format(
            subject=subject, value=value
        )
    lines = [f"{head} — {details}"]
    if grade.get("comment") and change["kind"] != ChangeKind.REMOVED:
        lines.append(f"    💬 <i>{q(grade['comment'])}</i>")
    return lines


# --- timetable ----------------------------------------------------------------------------------
def render_timetable(t: Translator, notice: dict[str, Any], today: date) -> str:
    title = t.gettext("Timetable changes, {class_name}").format(class_name=q(notice["class_name"]))
    lines = [f"🔄 <b>{title}</b>"]
    by_day: dict[str, list[dict[str, Any]]] = {}
    for change in sorted(notice["changes"], key=lambda c: (c["lesson"]["date"], c["lesson"]["number"])):
        by_day.setdefault(change["lesson"]["date"], []).append(change)
    for day, changes in by_day.items():
        lines.append("")
        lines.append(f"<b>{_day_label(t, date.fromisoformat(day), today)}</b>")
        lines.extend(_lesson_line(t, change) for change in changes)
    return "\n".join(lines)


def _day_label(t: Translator, day: date, today: date) -> str:
    if day == today:
        return t.gettext("Today, {day}").format(day=t.day(day))
    if (day - today).days == 1:
        return t.gettext("Tomorrow, {day}").format(day=t.day(day))
    return t.day(day)


def _lesson_line(t: Translator, change: dict[str, Any]) -> str:
    lesson, old = change["lesson"], change.get("old") or {}
    slot = t.gettext("Lesson {number} ({start}), {subject}").format(
        number=lesson["number"], start=lesson["start"][:5], subject=q(lesson["subject"])
    )
    status = lesson["status"]
    teacher = q(lesson.get("teacher_name") or "—")
    room = q(lesson.get("room") or "—")
    if change["kind"] == ChangeKind.REMOVED:
        text = "➖ " + t.gettext("{slot}: removed from the timetable").format(slot=slot)
    elif status == LessonStatus.CANCELLED:
        text = "❌ " + t.gettext("{slot}: cancelled").format(slot=slot)
    elif status == LessonStatus.SUBSTITUTED:
        original = lesson.get("original_teacher_name")
        if original:
            text = "👤 " + t.gettext("{slot}: substitute teacher {teacher} (usually {original}), room {room}").format(
                slot=slot, teacher=teacher, original=q(original), room=room
            )
        else:
            text = "👤 " + t.gettext("{slot}: substitute teacher {teacher}, room {room}").format(
                slot=slot, teacher=teacher, room=room
            )
    elif status == LessonStatus.ROOM_CHANGED:
        before = lesson.get("original_room")
        if before:
            text = "🚪 " + t.gettext("{slot}: moved to room {room} (instead of {original})").format(
                slot=slot, room=room, original=q(before)
            )
        else:
            text = "🚪 " + t.gettext("{slot}: moved to room {room}").format(slot=slot, room=room)
    elif status == LessonStatus.ADDED:
        text = "➕ " + t.gettext("{slot}: extra lesson, teacher {teacher}, room {room}").format(
            slot=slot, teacher=teacher, room=room
        )
    elif old.get("status") not in (None, LessonStatus.NORMAL):
        text = "↩️ " + t.gettext("{slot}: back to the usual timetable, teacher {teacher}, room {room}").format(
            slot=slot, teacher=teacher, room=room
        )
    else:
        text = "✏️ " + t.gettext("{slot}: changed, now teacher {teacher}, room {room}").format(
            slot=slot, teacher=teacher, room=room
        )
    reason = lesson.get("reason")
    if reason and change["kind"] != ChangeKind.REMOVED and status != LessonStatus.NORMAL:
        text += " — " + q(reason)
    return text


# --- attendance ---------------------------------------------------------------------------------
def render_attendance(t: Translator, notice: dict[str, Any], today: date, *, for_student: bool) -> str:
    """One line per lesson: «Артём отсутствовал на 2-м уроке (Математика)»; the day is named when it is not
    today (in a summary sent later)."""
    lines = []
    for mark in sorted(notice["marks"], key=lambda m: (m["date"], m["lesson_number"])):
        sentence = _attendance_sentence(t, mark["kind"] == AttendanceKind.LATE, notice.get("student_sex"), for_student)
        line = sentence.format(name=q(notice["student_name"]), number=mark["lesson_number"], subject=q(mark["subject"]))
        if mark["kind"] == AttendanceKind.LATE and mark.get("minutes_late"):
            line += " " + t.gettext("by {minutes} min").format(minutes=mark["minutes_late"])
        if mark.get("reason"):
            line += " — " + _reason(t, mark["reason"])
        if mark["date"] != today.isoformat():
            line = f"{t.day(mark['date'])}: {line}"
        lines.append(f"📋 {line}")
    return "\n".join(lines)


def _attendance_sentence(t: Translator, late: bool, sex: str | None, for_student: bool) -> str:
    """The verb agrees with the child in Russian. English msgids that differ only in the child's sex carry a
    [he] / [she] marker, which the English catalog leaves out."""
    if for_student:
        if late:
            return t.gettext("You were late for lesson {number} ({subject})")
        return t.gettext("You were absent from lesson {number} ({subject})")
    if sex == Sex.MALE:
        if late:
            return t.gettext("[he] {name} was late for lesson {number} ({subject})")
        return t.gettext("[he] {name} was absent from lesson {number} ({subject})")
    if sex == Sex.FEMALE:
        if late:
            return t.gettext("[she] {name} was late for lesson {number} ({subject})")
        return t.gettext("[she] {name} was absent from lesson {number} ({subject})")
    if late:
        return t.gettext("{name} was late for lesson {number} ({subject})")
    return t.gettext("{name} was absent from lesson {number} ({subject})")


def _reason(t: Translator, reason: str) -> str:
    if reason == AbsenceReason.ILLNESS:
        return t.gettext("illness")
    if reason == AbsenceReason.EXCUSED:
        return t.gettext("for a good reason")
    return t.gettext("without a good reason")


# --- deadline reminders -------------------------------------------------------------------------
def render_reminder(t: Translator, homework: Iterable[dict[str, Any]], due: date, *, student_name: str | None) -> str:
    if student_name is None:
        title = t.gettext("Homework for tomorrow, {day}").format(day=t.day(due))
    else:
        title = t.gettext("Homework for tomorrow, {day}: {name}").format(day=t.day(due), name=q(student_name))
    lines = [f"📚 <b>{title}</b>", ""]
    for item in sorted(homework, key=lambda h: (h["subject"], h["id"])):
        lines.append(f"• <b>{q(item['subject'])}</b>: {q(item['text'])}")
    return "\n".join(lines)


# --- daily summary ------------------------------------------------------------------------------
def render_digest_title(t: Translator, day: date) -> str:
    return "📰 <b>" + t.gettext("Daily summary, {day}").format(day=t.day(day)) + "</b>"
