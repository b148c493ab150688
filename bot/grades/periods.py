"""Which dates a grades view covers: one of the provider's periods, or the whole school year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.ediary.grading import current_period
from bot.ediary.model import Period
from bot.grades.keys import short_key

CURRENT = ""  # callback value: whatever period is current when the button is pressed
WHOLE_YEAR = "y"


@dataclass(frozen=True, slots=True)
class Selection:
    key: str  # period_key(period) or WHOLE_YEAR; what later buttons carry
    start: date
    end: date
    period: Period | None  # None: the whole year

    @property
    def final_marks_id(self) -> str:
        """The FinalMark.period_id that belongs to this view."""
        return self.period.id if self.period is not None else "year"


def period_key(period: Period) -> str:
    return short_key(period.id)


def whole_year(periods: Sequence[Period], today: date) -> Selection:
    if periods:
        return Selection(WHOLE_YEAR, min(p.start for p in periods), max(p.end for p in periods), None)
    # a provider without periods: the Russian school year, 1 September on
    start_year = today.year if today.month >= 9 else today.year - 1
    return Selection(WHOLE_YEAR, date(start_year, 9, 1), today, None)


def select(periods: Sequence[Period], key: str, today: date) -> Selection | None:
    """The view a button names; None when its period is no longer among the provider's periods."""
    if key == WHOLE_YEAR:
        return whole_year(periods, today)
    if key == CURRENT:
        period = current_period(periods, today)
        return whole_year(periods, today) if period is None else _of(period)
    for period in periods:
        if period_key(period) == key:
            return _of(period)
    return None


def _of(period: Period) -> Selection:
    return Selection(period_key(period), period.start, period.end, period)
