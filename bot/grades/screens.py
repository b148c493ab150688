"""The /grades screens (HTML): the child chooser, a child's subjects, one subject's marks, and what is said
instead (not linked, the e-diary not answering, a button gone stale). Called inside a handler, where `_()`
knows the user's language."""

from __future__ import annotations

from collections.abc import Collection

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.ediary.grading import has_non_numeric
from bot.ediary.model import Grade, Role, Student
from bot.ediary.names import initials
from bot.grades.keyboards import children_keyboard, subject_keyboard, subjects_keyboard
from bot.grades.loader import SubjectsView, SubjectView
from bot.grades.wording import (
    average_phrase,
    child_label,
    marks_count,
    period_name,
    selection_label,
    short_date,
    work,
)
from bot.ui import Screen, outage_screen


# --- screens ------------------------------------------------------------------------------------
def choose_child(students: list[Student]) -> Screen:
    return Screen(_("Whose grades would you like to see?"), children_keyboard(students))


def subjects(view: SubjectsView, *, back_to_children: bool) -> Screen:
    return Screen(subjects_text(view), subjects_keyboard(view, back_to_children=back_to_children))


def subject(view: SubjectView, subject_key: str) -> Screen:
    return Screen(subject_text(view), subject_keyboard(view, subject_key))


def no_access(roles: Collection[Role]) -> Screen:
    """For an account that sees no student as family: why, by what it is linked as."""
    if set(roles) & {Role.PARENT, Role.STUDENT}:
        return Screen(no_children_text())
    if Role.TEACHER in roles:
        return Screen(teacher_only_text())
    return Screen(not_linked_text())


def outage(retry_data: str) -> Screen:
    return outage_screen(unavailable_text(), retry_data)


# --- texts --------------------------------------------------------------------------------------
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
            _("Marks for {period}:").format(period=html.quote(period_name(view.selection.period)))
            if view.selection.period is not None
            else _("Year marks:")
        )
        lines += ["", html.bold(title)]
        lines += [f"{html.quote(subject)} — <b>{html.quote(value)}</b>" for subject, value in view.finals.items()]
    return "\n".join(lines)


def _subject_mark(grade: Grade, teachers: dict[str, str]) -> str:
    parts = [work(grade)] if work(grade) else []
    if grade.teacher_id in teachers:
        parts.append(html.quote(initials(teachers[grade.teacher_id])))
    line = f"{short_date(grade.date)} — <b>{html.quote(grade.value)}</b>" + "".join(f" · {p}" for p in parts)
    if grade.comment:
        line += "\n      " + html.italic("«" + html.quote(grade.comment) + "»")
    return line


def _finals_line(view: SubjectView) -> str:
    """A period view: that period's mark. The year view: each period's mark, then the year's."""
    if view.selection.period is not None:
        return _("Mark for the period: <b>{mark}</b>").format(mark=html.quote(view.finals[0][1]))
    parts = [
        _("{period}: <b>{mark}</b>").format(period=html.quote(period_name(period)), mark=html.quote(value))
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
        lines.append(html.italic(_("Marks that are not numbers (such as «зч») are not averaged.")))
    lines.append("")
    if not view.marks:
        lines.append(_("No marks in this period yet."))
    lines += [_subject_mark(g, view.teachers) for g in view.page.items]
    if view.attendance:
        days = ", ".join(f"{short_date(g.date)} {html.quote(g.value)}" for g in view.attendance)
        lines += ["", _("🚫 Attendance (not marks): {days}").format(days=days)]
    if view.page.count > 1:
        lines += ["", _("Page {number} of {count}").format(number=view.page.number + 1, count=view.page.count)]
    return "\n".join(lines)


# --- access, errors, stale buttons --------------------------------------------------------------
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


def no_children_text() -> str:
    return _(
        "The e-diary lists no students for your account. If that is wrong, ask the school, "
        "or link again with a new code: /link"
    )


def unavailable_text() -> str:
    return _("The e-diary is not answering. Please try again in a minute.")


def stale_child_text() -> str:
    return _("This button is out of date: the student is not linked to your account. Open /grades again.")


def stale_period_text() -> str:
    return _("That period is no longer in the e-diary. Showing the current one.")


def stale_subject_text() -> str:
    return _("That subject is no longer in the e-diary for this period.")
