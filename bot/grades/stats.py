"""Averages and per-subject summaries of a list of grades."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.ediary.model import Grade
from bot.grades.keys import short_key


@dataclass(frozen=True, slots=True)
class Average:
    value: float
    weighted: bool  # some counted mark has a weight other than 1


def average(grades: Iterable[Grade]) -> Average | None:
    """Weighted mean of the numeric marks; None when there is no numeric mark ("н", "зч" don't count)."""
    counted = [(g.numeric, g.weight) for g in grades if g.numeric is not None and g.weight > 0]
    total_weight = sum(weight for _, weight in counted)
    if not counted or total_weight <= 0:
        return None
    mean = sum(value * weight for value, weight in counted) / total_weight
    return Average(mean, weighted=any(weight != 1 for _, weight in counted))


def newest_first(grades: Iterable[Grade]) -> list[Grade]:
    return sorted(grades, key=lambda g: (g.date, g.id), reverse=True)


def has_non_numeric(grades: Iterable[Grade]) -> bool:
    return any(g.numeric is None for g in grades)


@dataclass(frozen=True, slots=True)
class SubjectSummary:
    name: str
    grades: tuple[Grade, ...]  # newest first
    average: Average | None

    @property
    def key(self) -> str:
        return short_key(self.name)

    @property
    def count(self) -> int:
        return len(self.grades)


def summarize(grades: Iterable[Grade], subject_order: Sequence[str] = ()) -> list[SubjectSummary]:
    """One summary per subject that has marks: in the class's subject order, then the rest by name."""
    by_subject: dict[str, list[Grade]] = {}
    for grade in grades:
        by_subject.setdefault(grade.subject, []).append(grade)
    rank = {name: index for index, name in enumerate(subject_order)}
    names = sorted(by_subject, key=lambda name: (rank.get(name, len(rank)), name))
    return [SubjectSummary(name, tuple(newest_first(by_subject[name])), average(by_subject[name])) for name in names]
