"""Which dates a grades view, a progress view or a report covers: one of the e-diary's periods, or the whole
school year. Periods travel in buttons as 8-character keys of their ids ("" the current one, "y" the whole year)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.ediary.grading import current_period
from bot.ediary.model import Period

KEY_LENGTH = 8
CURRENT = ""
WHOLE_YEAR = "y"


@dataclass(frozen=True, slots=True)
class Selection:
    key: str  # what later buttons carry: a period's key or WHOLE_YEAR
    start: date
    end: date
    period: Period | None  # None: the whole year

    @property
    def final_marks_id(self) -> str:
        """The FinalMark.period_id of this view."""
        return self.period.id if self.period is not None else "year"

    def elapsed_end(self, today: date) -> date:
        """The view's last day that has happened (a chart's time axis ends here)."""
        return max(self.start, min(self.end, today))


def short_key(text: str) -> str:
    """8 hex characters naming a provider string (a subject, a period id) in callback data."""
    return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]


def period_key(period: Period) -> str:
    return short_key(period.id)


def begun(periods: Sequence[Period], today: date) -> list[Period]:
    """The periods one may switch to: those that have begun (a future one has no marks)."""
    return [p for p in periods if p.start <= today]


def whole_year(periods: Sequence[Period], today: date) -> Selection:
    if periods:
        return Selection(WHOLE_YEAR, min(p.start for p in periods), max(p.end for p in periods), None)
    start_year = today.year if today.month >= 9 else today.year - 1  # no periods: the year from 1 September
    return Selection(WHOLE_YEAR, date(start_year, 9, 1), today, None)


def select(periods: Sequence[Period], key: str, today: date) -> Selection | None:
    """The view a button names; None when that period is no longer among the e-diary's periods."""
    if key == WHOLE_YEAR:
        return whole_year(periods, today)
    if key == CURRENT:
        period = current_period(periods, today)
        return whole_year(periods, today) if period is None else of(period)
    return next((of(p) for p in periods if period_key(p) == key), None)


def of(period: Period) -> Selection:
    return Selection(period_key(period), period.start, period.end, period)
