"""What a report holds, in the reader's language: the child, the period, per subject the marks, the average, the
trend and the period mark (the e-diary's, else the one the average leads to), attendance totals where the
e-diary gives attendance, and the chart of averages. Made on the event loop; pdf.py draws it in the worker."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.ediary.model import AbsenceReason, AttendanceKind, AttendanceMark, Student
from bot.ediary.provider import EdiaryProvider, attendance_source
from bot.gradebook import chart_data
from bot.gradebook.analysis import MIN_MARKS_FOR_TREND, TREND_STEP, Rounding
from bot.gradebook.chart import BarsChart
from bot.gradebook.loader import Comparison, ProgressView, load_progress, period_marks
from bot.gradebook.wording import (
    child_label,
    number,
    quarter_phrase,
    selection_label,
    trend_phrase,
)
from bot.ui import Translator


@dataclass(frozen=True, slots=True)
class ReportContent:
    title: str
    heading: list[str]  # the child, the school, the period, the day it was made
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]  # what the table's signs mean
    attendance_title: str
    attendance: list[str]
    chart: BarsChart | None
    file_name: str


async def gather(
    provider: EdiaryProvider,
    student: Student,
    period: str,
    today: date,
    rounding: Rounding,
    t: Translator,
    *,
    compare: bool,
) -> ReportContent:
    """Everything the report says (raises StalePeriod and ProviderError like the progress view)."""
    view = await load_progress(provider, student, period, today, rounding, compare=compare)
    finals = await period_marks(provider, student, view.selection)
    source = attendance_source(provider)
    absences = (
        await source.student_attendance(student.id, view.selection.start, view.selection.elapsed_end(today))
        if source is not None
        else None
    )
    compared = view.comparison is Comparison.SHOWN and any(s.standing for s in view.subjects)
    guides = tuple(float(v) for v in rounding.thresholds)
    return ReportContent(
        title=t.gettext("Progress report"),
        heading=[
            child_label(student),
            student.school,
            selection_label(t, view.selection),
            t.gettext("Made on {day}").format(day=format_date(today, "long", locale=t.locale)),
        ],
        columns=_columns(t, compared),
        rows=_rows(t, view, finals, compared),
        notes=_notes(t, rounding),
        attendance_title=t.gettext("Attendance"),
        attendance=_attendance(t, absences),
        chart=chart_data.bars(view, t, guides),
        file_name=file_name(student, view),
    )


def file_name(student: Student, view: ProgressView) -> str:
    period = view.selection.period.id if view.selection.period is not None else "year"
    return re.sub(r"[^A-Za-z0-9_-]+", "_", f"report-{student.id}-{period}") + ".pdf"


def _columns(t: Translator, compared: bool) -> list[str]:
    columns = [t.gettext("Subject"), t.gettext("Marks"), t.gettext("Average"), t.gettext("Trend")]
    columns.append(t.gettext("Period mark"))
    return [*columns, t.gettext("Class")] if compared else columns


def _rows(t: Translator, view: ProgressView, finals: dict[str, str], compared: bool) -> list[list[str]]:
    rows = []
    for subject in view.subjects:
        if subject.subject in finals:
            mark = finals[subject.subject]
        elif subject.mark is not None:
            mark = f"{subject.mark}*"
        else:
            mark = "—"
        row = [
            subject.subject,
            " ".join(g.value for g in subject.marks),
            number(t, subject.average) if subject.average is not None else "—",
            trend_phrase(t, subject) or "—",
            mark,
        ]
        if compared:
            standing = subject.standing
            place = f", {quarter_phrase(t, standing.quarter)}" if standing and standing.quarter else ""
            row.append(number(t, standing.average) + place if standing else "—")
        rows.append(row)
    for name in view.without_marks:
        rows.append([name, "—", "—", "—", finals.get(name, "—")] + (["—"] if compared else []))
    return rows


def _notes(t: Translator, rounding: Rounding) -> list[str]:
    five, four, three = (number(t, value) for value in rounding.thresholds)
    return [
        t.gettext(
            "* The period mark the average leads to by the school's rule (from {five} a 5, from {four} a 4, from "
            "{three} a 3): the e-diary has no mark for the period yet."
        ).format(five=five, four=four, three=three),
        t.gettext(
            "↗ ↘: the later half of the period's marks averages at least {step} more or less than the earlier "
            "half; → about the same; no arrow: fewer than {n} marks."
        ).format(step=number(t, TREND_STEP), n=MIN_MARKS_FOR_TREND),
    ]


def _attendance(t: Translator, marks: list[AttendanceMark] | None) -> list[str]:
    if marks is None:
        return [t.gettext("Attendance is not available: this e-diary does not give it.")]
    absent = [m for m in marks if m.kind is AttendanceKind.ABSENT]
    late = [m for m in marks if m.kind is AttendanceKind.LATE]
    if not absent and not late:
        return [t.gettext("No absences and no lateness.")]
    reasons = Counter(m.reason for m in absent)
    named = {
        AbsenceReason.ILLNESS: t.gettext("illness"),
        AbsenceReason.EXCUSED: t.gettext("excused"),
        AbsenceReason.UNEXCUSED: t.gettext("unexcused"),
        None: t.gettext("reason not given"),
    }
    parts = [f"{named[reason]}: {n}" for reason, n in sorted(reasons.items(), key=lambda r: -r[1])]
    lines = [
        t.ngettext("Missed {n} lesson", "Missed {n} lessons", len(absent)).format(n=len(absent))
        + (f" ({', '.join(parts)})" if parts else "")
    ]
    lines.append(t.ngettext("Late {n} time", "Late {n} times", len(late)).format(n=len(late)))
    by_subject = Counter(m.subject for m in absent)
    if by_subject:
        lines.append(
            t.gettext("Missed by subject: {subjects}").format(
                subjects=", ".join(f"{name} {n}" for name, n in by_subject.most_common())
            )
        )
    return lines
