"""Per-subject summaries of a list of grades (the averages themselves are bot.ediary.grading's)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.ediary.grading import Average, average, newest_first, split_attendance
from bot.ediary.model import Grade
from bot.gradebook.periods import short_key


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
    """One summary per subject that has marks (attendance is not a mark): in the class's subject order, then the
    rest by name."""
    by_subject: dict[str, list[Grade]] = {}
    for grade in split_attendance(grades)[0]:
        by_subject.setdefault(grade.subject, []).append(grade)
    rank = {name: index for index, name in enumerate(subject_order)}
    names = sorted(by_subject, key=lambda name: (rank.get(name, len(rank)), name))
    return [SubjectSummary(name, tuple(newest_first(by_subject[name])), average(by_subject[name])) for name in names]
