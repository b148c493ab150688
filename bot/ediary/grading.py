"""Grade math over the provider-neutral model: weighted averages, marks that are not numbers, attendance kept
apart from marks, the order marks are listed in, and which period is the current one. Pure functions: no
provider, no storage, no texts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.ediary.model import Grade, Period


@dataclass(frozen=True, slots=True)
class Average:
    value: float
    weighted: bool  # some counted mark has a weight other than 1


def average(grades: Iterable[Grade]) -> Average | None:
    """Weighted mean of the numeric marks; None when there is no numeric mark ("зч" and attendance don't count)."""
    counted = [(g.numeric, g.weight) for g in grades if g.numeric is not None and g.weight > 0 and not g.is_attendance]
    total_weight = sum(weight for _, weight in counted)
    if not counted or total_weight <= 0:
        return None
    mean = sum(value * weight for value, weight in counted) / total_weight
    return Average(mean, weighted=any(weight != 1 for _, weight in counted))


def split_attendance(grades: Iterable[Grade]) -> tuple[list[Grade], list[Grade]]:
    """(marks, attendance): an absence or lateness in the marks column («н», «оп»...) is not a mark; views count,
    average and announce only the marks."""
    marks: list[Grade] = []
    attendance: list[Grade] = []
    for grade in grades:
        (attendance if grade.is_attendance else marks).append(grade)
    return marks, attendance


def has_non_numeric(grades: Iterable[Grade]) -> bool:
    return any(g.numeric is None for g in grades)


def newest_first(grades: Iterable[Grade]) -> list[Grade]:
    return sorted(grades, key=lambda g: (g.date, g.id), reverse=True)


def current_period(periods: Sequence[Period], today: date) -> Period | None:
    """The period containing today; in the holidays the one that just ended; before the year, the first."""
    for period in periods:
        if period.contains(today):
            return period
    started = [p for p in periods if p.start <= today]
    if started:
        return max(started, key=lambda p: p.start)
    return min(periods, key=lambda p: p.start) if periods else None
