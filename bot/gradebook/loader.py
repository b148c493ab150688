"""Everything a progress view (and a report) reads from the e-diary, and the analysis of each subject. The
caller bounds the reads with bot.ediary.provider.read_deadline; nothing is kept: an outage is told, not hidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.ediary.model import FinalMark, Grade, Period, Student
from bot.ediary.provider import EdiaryProvider
from bot.gradebook.analysis import Rounding, SubjectProgress, analyse
from bot.gradebook.periods import Selection, begun, select, short_key


class StalePeriod(Exception):
    """A button names a period the e-diary no longer has."""


class Comparison(StrEnum):
    SHOWN = "shown"  # where enough classmates have marks in a subject
    OFF = "off"  # the school switched it off (CLASS_COMPARISON=false): not mentioned anywhere
    UNAVAILABLE = "unavailable"  # the e-diary gives only the child's own marks (no class reads)


@dataclass(frozen=True, slots=True)
class ProgressView:
    student: Student
    selection: Selection
    periods: list[Period]  # to switch to: those that have begun
    subjects: list[SubjectProgress]  # those with marks, in the class's subject order
    without_marks: list[str]  # the class's subjects with no mark in this view
    comparison: Comparison
    class_grades: tuple[Grade, ...]  # the class's marks in these dates (empty unless SHOWN): for the charts
    today: date

    def subject(self, key: str) -> SubjectProgress | None:
        return next((s for s in self.subjects if short_key(s.subject) == key), None)


async def load_progress(
    provider: EdiaryProvider, student: Student, key: str, today: date, rounding: Rounding, *, compare: bool
) -> ProgressView:
    periods = await provider.periods()
    selection = select(periods, key, today)
    if selection is None:
        raise StalePeriod(key)
    grades = await provider.student_grades(student.id, selection.start, selection.end)
    order = [s.name for s in await provider.class_subjects(student.class_name)]
    if not compare:
        comparison, class_grades = Comparison.OFF, None
    elif not provider.capabilities.class_reads:
        comparison, class_grades = Comparison.UNAVAILABLE, None
    else:
        comparison = Comparison.SHOWN
        class_grades = await provider.class_grades(student.class_name, selection.start, selection.end)
    names = {g.subject for g in grades if not g.is_attendance}
    rank = {name: index for index, name in enumerate(order)}
    subjects = [
        analyse(name, grades, rounding, today, class_grades)
        for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n))
    ]
    without = [name for name in order if name not in names]
    return ProgressView(
        student, selection, begun(periods, today), subjects, without, comparison, tuple(class_grades or ()), today
    )


async def period_marks(provider: EdiaryProvider, student: Student, selection: Selection) -> dict[str, str]:
    """Subject -> the mark the e-diary gives for this period (or the year), where it has them."""
    if not provider.capabilities.final_marks:
        return {}
    marks: list[FinalMark] = await provider.final_marks(student.id)
    return {m.subject: m.value for m in marks if m.period_id == selection.final_marks_id}
