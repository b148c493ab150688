"""Quarter and year marks, computed from the grades like a teacher's journal would suggest them."""

from __future__ import annotations

from bot.ediary.model import FinalMark, Grade, Period


def round_mark(mean: float) -> int:
    """Half up, as schools round a weighted average (4.5 -> 5)."""
    return int(mean + 0.5)


def quarter_and_year_marks(
    student_id: str, grades: list[Grade], finished: list[Period], year_over: bool
) -> list[FinalMark]:
    """A mark per finished quarter and subject with numeric grades; a year mark once all quarters are over."""
    marks: list[FinalMark] = []
    per_subject: dict[str, list[int]] = {}
    for period in finished:
        sums: dict[str, list[float]] = {}
        for g in grades:
            if g.numeric is not None and period.contains(g.date):
                acc = sums.setdefault(g.subject, [0.0, 0.0])
                acc[0] += g.numeric * g.weight
                acc[1] += g.weight
        for subject, (total, weight) in sums.items():
            mark = round_mark(total / weight)
            marks.append(FinalMark(student_id, subject, period.id, str(mark)))
            per_subject.setdefault(subject, []).append(mark)
    if year_over:
        for subject, quarter_marks in per_subject.items():
            year = round_mark(sum(quarter_marks) / len(quarter_marks))
            marks.append(FinalMark(student_id, subject, "year", str(year)))
    return marks
