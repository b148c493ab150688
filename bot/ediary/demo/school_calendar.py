"""The demo school's calendar: quarters, public holidays, school days and bell times.

The school year starts on 1 September. A date from June to August belongs to the school year that just
ended (its quarters are all finished, so quarter and year marks are visible all summer).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta
from functools import lru_cache

from bot.ediary.model import Period

# (start month, start day, end month, end day); quarters 3 and 4 fall in the second calendar year.
QUARTERS = ((9, 1, 10, 26), (11, 5, 12, 28), (1, 12, 3, 22), (4, 1, 5, 26))
# Public holidays that fall inside the quarters (transfers of days off are not modelled).
HOLIDAYS = frozenset({(2, 23), (3, 8), (5, 1), (5, 9)})

BELLS: dict[int, tuple[time, time]] = {
    1: (time(8, 30), time(9, 15)),
    2: (time(9, 25), time(10, 10)),
    3: (time(10, 30), time(11, 15)),
    4: (time(11, 35), time(12, 20)),
    5: (time(12, 30), time(13, 15)),
    6: (time(13, 25), time(14, 10)),
    7: (time(14, 20), time(15, 5)),
}


def school_year_of(day: date) -> int:
    """The calendar year in which the school year containing `day` started."""
    return day.year if day.month >= 9 else day.year - 1


def year_start(day: date) -> date:
    return date(school_year_of(day), 9, 1)


@lru_cache(maxsize=16)
def quarters(start_year: int) -> tuple[Period, ...]:
    result = []
    for index, (m1, d1, m2, d2) in enumerate(QUARTERS, start=1):
        y1 = start_year if m1 >= 9 else start_year + 1
        y2 = start_year if m2 >= 9 else start_year + 1
        result.append(Period(f"{start_year}-q{index}", f"{index} четверть", date(y1, m1, d1), date(y2, m2, d2)))
    return tuple(result)


def period_of(day: date) -> Period | None:
    return next((p for p in quarters(school_year_of(day)) if p.contains(day)), None)


@lru_cache(maxsize=4096)
def is_school_day(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS and period_of(day) is not None


def school_days(start: date, end: date) -> Iterator[date]:
    """School days in [start, end], in order."""
    day = start
    while day <= end:
        if is_school_day(day):
            yield day
        day += timedelta(days=1)
