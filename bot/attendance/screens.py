"""The /attendance screens (HTML, in the user's language through `_()`): a child's absences and lateness by
subject with totals, the period and child switches, and what is said instead."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from aiogram import html
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.attendance.callbacks import WHOLE_YEAR, AttendanceCb
from bot.attendance.summary import SubjectAttendance
from bot.ediary.model import AbsenceReason, AttendanceMark, Period, Student
from bot.ediary.periods import PeriodKind, read_period_name
from bot.i18n import format_day_skeleton
from bot.ui import Screen, outage_screen
from bot.ui.keyboard import Keyboard

if TYPE_CHECKING:
    from bot.attendance.service import AttendanceView

MAX_DATES = 6  # dates listed beside a subject; more are counted only


def attendance_screen(view: AttendanceView, today: date) -> Screen:
    student, selection, summary = view.student, view.selection, view.summary
    lines = [
        "📋 <b>" + _("Attendance: {child}").format(child=html.quote(child_label(student))) + "</b>",
        _("{period}: {start} – {end}").format(
            period=html.quote(period_name(selection.period)),
            start=_short(selection.start),
            end=_short(selection.end) if selection.end < today else _("today"),
        ),
        "",
    ]
    if summary.empty:
        lines.append(_("No absences and no lateness in this period."))
    else:
        lines += [_subject_line(row) for row in summary.subjects]
        lines += ["", "<b>" + _("In total") + "</b>", "• " + _absences_total(view)]
        if summary.lates:
            late = _("{n} time late", "{n} times late", summary.lates).format(n=summary.lates)
            if summary.minutes_late:
                late += " " + _("({minutes} min in all)").format(minutes=summary.minutes_late)
            lines.append("• " + late)
    return Screen("\n".join(lines), _keyboard(view))


def choice_screen(children: tuple[Student, ...]) -> Screen:
    kb = Keyboard()
    for child in children:
        kb.button(text=child_label(child), callback_data=AttendanceCb(student=child.id, period=-1))
    kb.adjust(1)
    return Screen("📋 " + _("Whose attendance do you want to see?"), kb.as_markup())


def refusal_screen(not_supported: bool) -> Screen:
    if not_supported:
        return Screen(
            "📋 " + _("This school's e-diary does not give attendance, so absences and lateness cannot be shown here.")
        )
    return Screen(
        _(
            "Attendance is shown to students and parents whose account is linked to the e-diary. "
            "Link yours with the code the school gave you: /link"
        )
    )


def outage(retry_data: str) -> Screen:
    return outage_screen(_("The e-diary is not answering. Please try again in a minute."), retry_data)


def stale_text() -> str:
    return _("This button is out of date. Please open /attendance again.")


def child_label(student: Student) -> str:
    """Plain text (for buttons); quote it for messages."""
    return f"{student.person.short_name}, {student.class_name}"


def period_name(period: Period | None) -> str:
    """A period in the user's language ("Quarter 2" / "2 четверть"); a name not recognised as the e-diary gives
    it; None is the whole school year. Plain text."""
    if period is None:
        return _("Whole year")
    recognised = read_period_name(period.name)
    if recognised is None:
        return period.name
    if recognised.kind == PeriodKind.QUARTER:
        return _("Quarter {n}").format(n=recognised.number)
    if recognised.kind == PeriodKind.TRIMESTER:
        return _("Trimester {n}").format(n=recognised.number)
    return _("Half-year {n}").format(n=recognised.number)


# --- pieces -------------------------------------------------------------------------------------
def _subject_line(row: SubjectAttendance) -> str:
    parts = []
    if row.absences:
        count = _("{n} absence", "{n} absences", len(row.absences)).format(n=len(row.absences))
        parts.append(f"{count} ({_dates(row.absences)})")
    if row.lates:
        count = _("{n} time late", "{n} times late", len(row.lates)).format(n=len(row.lates))
        parts.append(f"{count} ({_dates(row.lates)})")
    return f"• <b>{html.quote(row.subject)}</b>: " + ", ".join(parts)


def _dates(marks: tuple[AttendanceMark, ...]) -> str:
    shown = [_short(m.date) + (f" {_minutes(m)}" if m.minutes_late else "") for m in marks[:MAX_DATES]]
    return ", ".join(shown) + (", …" if len(marks) > MAX_DATES else "")


def _minutes(mark: AttendanceMark) -> str:
    return _("{minutes} min").format(minutes=mark.minutes_late)


def _absences_total(view: AttendanceView) -> str:
    summary = view.summary
    text = _("{n} lesson missed", "{n} lessons missed", summary.absences).format(n=summary.absences)
    reasons = [
        f"{label}: {summary.by_reason[reason]}"
        for reason, label in (
            (AbsenceReason.ILLNESS, _("illness")),
            (AbsenceReason.EXCUSED, _("for a good reason")),
            (AbsenceReason.UNEXCUSED, _("without a good reason")),
            (None, _("reason not given")),
        )
        if summary.by_reason.get(reason)
    ]
    return text + (f" ({'; '.join(reasons)})" if reasons else "")


def _keyboard(view: AttendanceView) -> InlineKeyboardMarkup:
    kb = Keyboard()
    student, chosen = view.student, view.selection.index
    periods = [(index, period_name(period)) for index, period in view.periods] + [(WHOLE_YEAR, period_name(None))]
    for index, label in periods:
        kb.button(
            text=f"• {label} •" if index == chosen else label,
            callback_data=AttendanceCb(student=student.id, period=index),
        )
    sizes = [2] * (len(periods) // 2) + [1] * (len(periods) % 2)
    for child in view.children:
        label = child_label(child)
        kb.button(
            text=f"• {label} •" if child.id == student.id else label,
            callback_data=AttendanceCb(student=child.id, period=chosen),
        )
        sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()


def _short(day: date) -> str:
    """ "12 нояб." / "Nov 12"."""
    return format_day_skeleton(day, "MMMd", get_i18n().current_locale)
