"""Texts of the grades views (HTML). Called inside a handler, where `_()` knows the user's language."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from aiogram import html
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from bot.ediary.model import Grade, Period, Student
from bot.grades.loader import ChildMarks, SubjectsView, SubjectView
from bot.grades.periods import Selection
from bot.grades.stats import Average, has_non_numeric


def _locale() -> str:
    return get_i18n().current_locale


# --- small pieces -----------------------------------------------------------------------------
def format_average(value: float) -> str:
    """4.125 -> "4,13" (ru) / "4.13" (en): two decimals, rounded half up as school journals do."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="0.00", locale=_locale())


def format_weight(weight: float) -> str:
    return format_decimal(weight, format="0.##", locale=_locale())


def short_date(day: date) -> str:
    return format_skeleton("MMMd", day, locale=_locale())


def day_month(day: date) -> str:
    return format_skeleton("MMMMd", day, locale=_locale())


def long_day(day: date) -> str:
    """ "среда, 25 ноября" / "Wednesday, November 25"."""
    return f"{format_date(day, 'EEEE', locale=_locale())}, {day_month(day)}"


def marks_count(n: int) -> str:
    return _("{n} mark", "{n} marks", n).format(n=n)


def child_label(student: Student) -> str:
    """Plain text (for buttons); quote it for messages."""
    return f"{student.person.short_name}, {student.class_name}"


def teacher_initials(full_name: str) -> str:
    """ "Белова Елена Викторовна" -> "Белова Е. В."."""
    surname, *names = full_name.split()
    return " ".join([surname, *(f"{name[0]}." for name in names)]) if names else surname


def period_name(period: Period | None) -> str:
    return period.name if period is not None else _("Whole year")


def selection_label(selection: Selection) -> str:
    return _("{period}, {start} – {end}").format(
        period=html.quote(period_name(selection.period)),
        start=short_date(selection.start),
        end=short_date(selection.end),
    )


def average_phrase(avg: Average | None) -> str:
    if avg is None:
        return _("no average: no numeric marks")
    text = _("average <b>{value}</b>").format(value=format_average(avg.value))
    return text + " " + _("(weighted by work type)") if avg.weighted else text


def _work(grade: Grade) -> str:
    parts = [html.quote(grade.work_type)] if grade.work_type else []
    if grade.weight != 1:
        parts.append(_("weight {weight}").format(weight=format_weight(grade.weight)))
    return ", ".join(parts)


# --- /marks -----------------------------------------------------------------------------------
def _mark_line(grade: Grade) -> str:
    work = _work(grade)
    line = f"• {html.quote(grade.subject)}: <b>{html.quote(grade.value)}</b>"
    line += f" — {work}" if work else ""
    if grade.comment:
        line += "\n   " + html.italic(html.quote(grade.comment))
    return line


def marks_text(children: list[ChildMarks], today: date) -> str:
    blocks = []
    for child in children:
        lines = [html.bold(html.quote(child_label(child.student)))]
        if child.day is None:
            lines.append(_("No marks since {date}.").format(date=day_month(child.searched_from)))
        elif child.day == today:
            lines.append(_("Today, {day}:").format(day=long_day(today)))
        else:
            lines.append(_("No marks today. Last marks — {day}:").format(day=long_day(child.day)))
        lines += [_mark_line(g) for g in child.grades]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# --- /grades ----------------------------------------------------------------------------------
def choose_child_text() -> str:
    return _("Whose grades would you like to see?")


def subject_button(name: str, count: int, avg: Average | None) -> str:
    parts = [name] + ([format_average(avg.value)] if avg is not None else []) + [marks_count(count)]
    return " · ".join(parts)


def subjects_text(view: SubjectsView) -> str:
    lines = [f"📚 {html.bold(html.quote(child_label(view.student)))}", selection_label(view.selection), ""]
    total = sum(s.count for s in view.summaries)
    if not total:
        lines.append(_("No marks in this period yet."))
    else:
        lines.append(
            _(
                "{marks} in {n} subject. Choose a subject to see its marks.",
                "{marks} in {n} subjects. Choose a subject to see its marks.",
                len(view.summaries),
            ).format(marks=marks_count(total), n=len(view.summaries))
        )
        if view.without_marks:
            lines.append(_("No marks yet: {subjects}.").format(subjects=html.quote(", ".join(view.without_marks))))
    if view.finals:
        title = (
            _("Marks for {period}:").format(period=html.quote(view.selection.period.name))
            if view.selection.period is not None
            else _("Year marks:")
        )
        lines += ["", html.bold(title)]
        lines += [f"{html.quote(subject)} — <b>{html.quote(value)}</b>" for subject, value in view.finals.items()]
    return "\n".join(lines)


def _subject_mark(grade: Grade, teachers: dict[str, str]) -> str:
    parts = [_work(grade)] if _work(grade) else []
    if grade.teacher_id in teachers:
        parts.append(html.quote(teacher_initials(teachers[grade.teacher_id])))
    line = f"{short_date(grade.date)} — <b>{html.quote(grade.value)}</b>" + "".join(f" · {p}" for p in parts)
    if grade.comment:
        line += "\n      " + html.italic("«" + html.quote(grade.comment) + "»")
    return line


def _finals_line(view: SubjectView) -> str:
    """A period view: that period's mark. The year view: each period's mark, then the year's."""
    if view.selection.period is not None:
        return _("Mark for the period: <b>{mark}</b>").format(mark=html.quote(view.finals[0][1]))
    parts = [
        _("{period}: <b>{mark}</b>").format(period=html.quote(period.name), mark=html.quote(value))
        for period, value in view.finals
        if period is not None
    ]
    parts += [
        _("year mark: <b>{mark}</b>").format(mark=html.quote(value)) for period, value in view.finals if period is None
    ]
    return " · ".join(parts)


def subject_text(view: SubjectView) -> str:
    lines = [
        f"📘 {html.bold(html.quote(view.subject))} — {html.quote(child_label(view.student))}",
        selection_label(view.selection),
    ]
    if view.marks:
        lines.append(f"{marks_count(len(view.marks))}, {average_phrase(view.average)}")
    if view.finals:
        lines.append(_finals_line(view))
    if has_non_numeric(view.marks):
        lines.append(html.italic(_("Marks that are not numbers (such as «н» or «зч») are not averaged.")))
    lines.append("")
    if not view.marks:
        lines.append(_("No marks in this period yet."))
    lines += [_subject_mark(g, view.teachers) for g in view.page.items]
    if view.page.count > 1:
        lines += ["", _("Page {number} of {count}").format(number=view.page.number + 1, count=view.page.count)]
    return "\n".join(lines)


# --- access, errors, stale buttons ------------------------------------------------------------
def not_linked_text() -> str:
    return _(
        "Marks are shown to linked students and parents. Link your account first: "
        "send /link and the one-time code the school gave you."
    )


def teacher_only_text() -> str:
    return _(
        "Marks by child are for students and parents; your account is linked as a teacher. "
        "If your own child studies here, link with the parent code from the school: /link"
    )


def unavailable_text() -> str:
    return _("The e-diary is not answering. Please try again in a minute.")


def stale_child_text() -> str:
    return _("This button is out of date: the student is not linked to your account. Open /grades again.")


def stale_period_text() -> str:
    return _("That period is no longer in the e-diary. Showing the current one.")


def stale_subject_text() -> str:
    return _("That subject is no longer in the e-diary for this period.")


def no_children_text() -> str:
    return _(
        "The e-diary lists no students for your account. If that is wrong, ask the school, "
        "or link again with a new code: /link"
    )
