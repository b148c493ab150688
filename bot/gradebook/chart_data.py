"""What each chart shows, from a progress view: translated here, on the event loop, so that the render worker
gets plain data. The class appears only as its average (a subject compared: enough classmates with marks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.ediary.grading import average
from bot.ediary.model import Grade
from bot.gradebook.analysis import SubjectProgress, classmates_averages, counted
from bot.gradebook.chart import BarsChart, Legend, MarksChart
from bot.gradebook.loader import Comparison, ProgressView
from bot.gradebook.wording import child_label, number, period_name, short_date
from bot.ui import Translator

TICKS = 6  # days named on a time axis


def legend(t: Translator, axis: str) -> Legend:
    return Legend(child=t.gettext("Average"), class_average=t.gettext("Class average"), axis=axis)


def bars(view: ProgressView, t: Translator, guides: tuple[float, ...]) -> BarsChart | None:
    """Every subject with an average; None when there is none to draw."""
    shown = [s for s in view.subjects if s.average is not None]
    if not shown:
        return None
    return BarsChart(
        title=f"{child_label(view.student)} — {period_name(t, view.selection.period)}",
        subjects=[s.subject for s in shown],
        averages=[s.average for s in shown if s.average is not None],
        average_labels=[number(t, s.average) for s in shown if s.average is not None],
        class_averages=[s.standing.average if s.standing else None for s in shown],
        thresholds=guides,
        legend=legend(t, t.gettext("Average")),
    )


def marks(view: ProgressView, subject: SubjectProgress, t: Translator, guides: tuple[float, ...]) -> MarksChart:
    start, end = view.selection.start, view.selection.elapsed_end(view.today)
    compared = view.comparison is Comparison.SHOWN and subject.standing is not None
    return MarksChart(
        title=f"{child_label(view.student)} — {subject.subject}, {period_name(t, view.selection.period)}",
        start=start,
        end=end,
        ticks=[(day, short_date(t, day)) for day in _ticks(start, end)],
        marks=[(g.date, float(g.numeric), g.weight) for g in counted(subject.marks) if g.numeric is not None],
        running=running_average(subject.marks),
        class_running=class_running_average(view.class_grades, subject.subject) if compared else [],
        thresholds=guides,
        legend=legend(t, t.gettext("Mark")),
        marks_label=t.gettext("Marks (larger: heavier)"),
    )


def running_average(grades: Sequence[Grade]) -> list[tuple[date, float]]:
    """The average as it stood at the end of each day with marks."""
    ordered = counted(grades)
    points = []
    for day in sorted({g.date for g in ordered}):
        avg = average(g for g in ordered if g.date <= day)
        if avg is not None:
            points.append((day, avg.value))
    return points


def class_running_average(class_grades: Sequence[Grade], subject: str) -> list[tuple[date, float]]:
    """The mean of the classmates' averages as they stood at the end of each day with marks in the subject."""
    mine = [g for g in class_grades if g.subject == subject]
    points = []
    for day in sorted({g.date for g in counted(mine)}):
        averages = classmates_averages((g for g in mine if g.date <= day), subject)
        if averages:
            points.append((day, sum(averages) / len(averages)))
    return points


def _ticks(start: date, end: date) -> list[date]:
    span = (end - start).days
    if span <= 0:
        return [start]
    step = max(1, round(span / (TICKS - 1)))
    return [start + timedelta(days=n) for n in range(0, span + 1, step)]
