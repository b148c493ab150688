"""Everything the /grades views read from the e-diary (service.py reads each view under one deadline).

Nothing is cached: when the e-diary fails, the user is told so instead of being shown old data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.ediary.grading import Average, average, newest_first, split_attendance
from bot.ediary.model import FinalMark, Grade, Period, Student
from bot.ediary.names import full_names
from bot.ediary.provider import EdiaryProvider
from bot.gradebook.periods import Selection, select, short_key
from bot.grades.paging import Page, paginate
from bot.grades.stats import SubjectSummary, summarize


class StaleButton(Exception):
    """A button names a period or a subject that the e-diary no longer has."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what  # "period" | "subject"


@dataclass(frozen=True, slots=True)
class SubjectsView:
    student: Student
    selection: Selection
    periods: list[Period]  # to switch to: those that have begun
    summaries: list[SubjectSummary]
    without_marks: list[str]  # the class's subjects with no mark in this view
    finals: dict[str, str]  # subject -> the period's (or the year's) final mark


@dataclass(frozen=True, slots=True)
class SubjectView:
    student: Student
    selection: Selection
    periods: list[Period]
    subject: str
    marks: tuple[Grade, ...]  # newest first, attendance left out
    attendance: tuple[Grade, ...]  # absences and lateness recorded in the marks column, newest first
    page: Page[Grade]
    average: Average | None
    finals: list[tuple[Period | None, str]]  # (period, mark); None stands for the year
    teachers: dict[str, str]  # teacher id -> full name, for the marks on this page


async def load_subjects(provider: EdiaryProvider, student: Student, key: str, today: date) -> SubjectsView:
    periods, selection = await _selection(provider, key, today)
    grades = await provider.student_grades(student.id, selection.start, selection.end)
    class_subjects = [s.name for s in await provider.class_subjects(student.class_name)]
    summaries = summarize(grades, class_subjects)
    graded = {s.name for s in summaries}
    marks = {
        m.subject: m.value for m in await _final_marks(provider, student.id) if m.period_id == selection.final_marks_id
    }
    order = class_subjects + sorted(set(marks) - set(class_subjects))
    finals = {name: marks[name] for name in order if name in marks}
    without = [name for name in class_subjects if name not in graded]
    return SubjectsView(student, selection, periods, summaries, without, finals)


async def load_subject(
    provider: EdiaryProvider, student: Student, key: str, subject_key: str, page: int, today: date
) -> SubjectView:
    periods, selection = await _selection(provider, key, today)
    grades = await provider.student_grades(student.id, selection.start, selection.end)
    finals = await _final_marks(provider, student.id)
    names = (
        {s.name for s in await provider.class_subjects(student.class_name)}
        | {g.subject for g in grades}
        | {m.subject for m in finals}
    )
    subject = next((name for name in sorted(names) if short_key(name) == subject_key), None)
    if subject is None:
        raise StaleButton("subject")
    marks, attendance = split_attendance(newest_first(g for g in grades if g.subject == subject))
    shown = paginate(marks, page)
    teachers = await full_names(provider, (g.teacher_id for g in shown.items))
    return SubjectView(
        student,
        selection,
        periods,
        subject,
        tuple(marks),
        tuple(attendance),
        shown,
        average(marks),
        _subject_finals(periods, selection, subject, finals),
        teachers,
    )


async def _selection(provider: EdiaryProvider, key: str, today: date) -> tuple[list[Period], Selection]:
    """The periods that have begun (a future one has no marks to show) and the view the key names."""
    periods = await provider.periods()
    selection = select(periods, key, today)
    if selection is None:
        raise StaleButton("period")
    return [p for p in periods if p.start <= today], selection


async def _final_marks(provider: EdiaryProvider, student_id: str) -> list[FinalMark]:
    return await provider.final_marks(student_id) if provider.capabilities.final_marks else []


def _subject_finals(
    periods: list[Period], selection: Selection, subject: str, finals: list[FinalMark]
) -> list[tuple[Period | None, str]]:
    """A period view shows that period's mark; the year view every period's mark, then the year's."""
    mine = {m.period_id: m.value for m in finals if m.subject == subject}
    if selection.period is not None:
        value = mine.get(selection.period.id)
        return [] if value is None else [(selection.period, value)]
    result: list[tuple[Period | None, str]] = [(p, mine[p.id]) for p in periods if p.id in mine]
    if "year" in mine:
        result.append((None, mine["year"]))
    return result
