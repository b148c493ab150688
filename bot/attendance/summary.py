"""Attendance marks counted: by subject (the most missed first) and in total, absences by reason, minutes late.
Pure: no provider, no storage, no texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.ediary.model import AbsenceReason, AttendanceKind, AttendanceMark


@dataclass(frozen=True, slots=True)
class SubjectAttendance:
    subject: str
    absences: tuple[AttendanceMark, ...]  # by date
    lates: tuple[AttendanceMark, ...]


@dataclass(frozen=True, slots=True)
class AttendanceSummary:
    subjects: tuple[SubjectAttendance, ...]
    absences: int  # lessons missed
    lates: int
    by_reason: dict[AbsenceReason | None, int]  # absences; None: no reason given
    minutes_late: int  # of the lates whose minutes the e-diary records

    @property
    def empty(self) -> bool:
        return not self.absences and not self.lates


def summarize(marks: Iterable[AttendanceMark]) -> AttendanceSummary:
    ordered = sorted(marks, key=lambda m: (m.date, m.lesson_number))
    subjects: dict[str, list[AttendanceMark]] = {}
    for mark in ordered:
        subjects.setdefault(mark.subject, []).append(mark)
    rows = [
        SubjectAttendance(
            subject,
            tuple(m for m in found if m.kind == AttendanceKind.ABSENT),
            tuple(m for m in found if m.kind == AttendanceKind.LATE),
        )
        for subject, found in subjects.items()
    ]
    rows.sort(key=lambda row: (-len(row.absences), -len(row.lates), row.subject))
    absences = [m for m in ordered if m.kind == AttendanceKind.ABSENT]
    lates = [m for m in ordered if m.kind == AttendanceKind.LATE]
    return AttendanceSummary(
        tuple(rows),
        len(absences),
        len(lates),
        dict(Counter(m.reason for m in absences)),
        sum(m.minutes_late or 0 for m in lates),
    )
