"""Where a child stands in each subject: the weighted average (bot.ediary.grading's, as /grades shows it), its
trend, the period mark it leads to under the school's rounding, what it takes to reach the next mark, and the
class comparison (the class average and the child's quarter of the class only). Pure: no provider, no texts."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from bot.ediary.grading import average, split_attendance
from bot.ediary.model import Grade

TREND_STEP = Decimal("0.2")  # a change of the average smaller than this is "steady"
MIN_MARKS_FOR_TREND = 4  # two earlier marks against two later ones at least
MAX_MARKS_AHEAD = 10  # "what it takes" looks this many marks ahead; more is "out of reach for now"
MIN_CLASSMATES_WITH_MARKS = 5  # fewer and a class average would tell too much about the others
LOWEST_MARK = 2


class Trend(StrEnum):
    UP = "up"
    STEADY = "steady"
    DOWN = "down"


class Quarter(StrEnum):
    """The child's place among the class's averages, by the class's quartiles."""

    TOP = "top"
    UPPER_HALF = "upper_half"
    LOWER_HALF = "lower_half"
    BOTTOM = "bottom"


@dataclass(frozen=True, slots=True)
class Rounding:
    """The school's rule from an average to a mark: the lowest averages (as shown, two decimals) giving 5, 4, 3."""

    thresholds: tuple[Decimal, Decimal, Decimal]

    def mark(self, value: float) -> int:
        shown = as_shown(value)
        return next((mark for mark, t in zip((5, 4, 3), self.thresholds, strict=True) if shown >= t), LOWEST_MARK)


@dataclass(frozen=True, slots=True)
class Steps:
    """How many marks of the usual weight raise the average to `target`; None: not within MAX_MARKS_AHEAD."""

    target: int
    fives: int | None
    fours: int | None  # None also when 4s cannot reach the target at all


@dataclass(frozen=True, slots=True)
class ClassStanding:
    average: float  # the mean of the classmates' averages (each child counts once)
    quarter: Quarter | None  # None: the child has no average to place


@dataclass(frozen=True, slots=True)
class SubjectProgress:
    subject: str
    marks: tuple[Grade, ...]  # counted towards the average or not («зч»), oldest first; no attendance
    average: float | None
    trend: Trend | None  # None: too few marks to tell
    change: Decimal | None  # the later marks' average minus the earlier ones'
    mark: int | None  # the period mark the average leads to
    usual_weight: float
    steps: Steps | None  # None: already leads to a 5, or no average
    standing: ClassStanding | None  # None: no comparison (switched off, too few classmates, no class reads)


def as_shown(value: float) -> Decimal:
    """The average as the views show it: two decimals, half up (4.125 -> 4.13), as school journals do."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def counted(grades: Iterable[Grade]) -> list[Grade]:
    """The marks that make the average, oldest first."""
    return sorted(
        (g for g in grades if g.numeric is not None and g.weight > 0 and not g.is_attendance),
        key=lambda g: (g.date, g.id),
    )


def usual_weight(marks: Sequence[Grade]) -> float:
    """The most common weight of the counted marks (a tie: the lighter one, the everyday work); 1 without any."""
    weights = Counter(g.weight for g in counted(marks))
    if not weights:
        return 1.0
    top = max(weights.values())
    return min(w for w, n in weights.items() if n == top)


def trend(marks: Sequence[Grade]) -> tuple[Trend, Decimal] | None:
    """The average of the later half of the counted marks against the earlier half (the middle one of an odd
    number in neither)."""
    ordered = counted(marks)
    if len(ordered) < MIN_MARKS_FOR_TREND:
        return None
    half = len(ordered) // 2
    earlier, later = average(ordered[:half]), average(ordered[-half:])
    if earlier is None or later is None:
        return None
    change = as_shown(later.value) - as_shown(earlier.value)
    if change >= TREND_STEP:
        return Trend.UP, change
    if change <= -TREND_STEP:
        return Trend.DOWN, change
    return Trend.STEADY, change


def steps_to_next(marks: Sequence[Grade], rounding: Rounding, weight: float, today: date) -> Steps | None:
    """How many 5s (and 4s) of `weight` take the average, as /grades computes it, to the next mark."""
    now = average(marks)
    if now is None:
        return None
    target = rounding.mark(now.value) + 1
    if target > 5:
        return None
    template = Grade("", "", "", "5", 5.0, weight, None, today)
    return Steps(
        target, _marks_needed(marks, template, rounding, target), _marks_needed_of(4, marks, template, rounding, target)
    )


def _marks_needed_of(
    value: int, marks: Sequence[Grade], template: Grade, rounding: Rounding, target: int
) -> int | None:
    if value < target:
        return None  # marks below the target never lift the average to it
    return _marks_needed(marks, replace(template, value=str(value), numeric=float(value)), rounding, target)


def _marks_needed(marks: Sequence[Grade], extra: Grade, rounding: Rounding, target: int) -> int | None:
    for n in range(1, MAX_MARKS_AHEAD + 1):
        after = average([*marks, *([extra] * n)])
        if after is not None and rounding.mark(after.value) >= target:
            return n
    return None


def standing(child: float | None, classmates: Sequence[float]) -> ClassStanding | None:
    """The class average and the child's quarter of the class, from every classmate's average (the child's own
    among them); None when too few have marks for the average to stay anonymous."""
    if len(classmates) < MIN_CLASSMATES_WITH_MARKS:
        return None
    mean = statistics.fmean(classmates)
    if child is None:
        return ClassStanding(mean, None)
    q1, q2, q3 = statistics.quantiles(classmates, n=4, method="inclusive")
    if child >= q3:
        quarter = Quarter.TOP
    elif child >= q2:
        quarter = Quarter.UPPER_HALF
    elif child >= q1:
        quarter = Quarter.LOWER_HALF
    else:
        quarter = Quarter.BOTTOM
    return ClassStanding(mean, quarter)


def classmates_averages(class_grades: Iterable[Grade], subject: str) -> list[float]:
    """Each classmate's average in the subject (those without one left out); no name, no id leaves here."""
    by_student: dict[str, list[Grade]] = {}
    for grade in class_grades:
        if grade.subject == subject:
            by_student.setdefault(grade.student_id, []).append(grade)
    averages = (average(grades) for grades in by_student.values())
    return [a.value for a in averages if a is not None]


def analyse(
    subject: str,
    grades: Iterable[Grade],
    rounding: Rounding,
    today: date,
    class_grades: Sequence[Grade] | None = None,
) -> SubjectProgress:
    """One subject's progress from the child's grades (attendance values dropped here); `class_grades`: the
    class's grades in the same dates, or None when there is to be no comparison."""
    marks = sorted(split_attendance(g for g in grades if g.subject == subject)[0], key=lambda g: (g.date, g.id))
    avg = average(marks)
    value = avg.value if avg is not None else None
    moved = trend(marks)
    weight = usual_weight(marks)
    compared = None if class_grades is None else standing(value, classmates_averages(class_grades, subject))
    return SubjectProgress(
        subject=subject,
        marks=tuple(marks),
        average=value,
        trend=moved[0] if moved else None,
        change=moved[1] if moved else None,
        mark=rounding.mark(value) if value is not None else None,
        usual_weight=weight,
        steps=steps_to_next(marks, rounding, weight, today),
        standing=compared,
    )
