"""The timetable's buttons (prefixes "t…"). `kind`: "s" a student, "t" a teacher (own lessons), "a" all the
account's children (person "" then); dates travel as YYYYMMDD. Everything in them is re-checked on the
server (service.py): a forged or outdated value is a stale button."""

from __future__ import annotations

import re
from datetime import date

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

KIND_LENGTH = 1  # model.Kind and model.Span are one letter
DATE_LENGTH = 8  # YYYYMMDD
MAX_PERSON_ID = 50  # the most that fits: "td:s:" + id + ":YYYYMMDD" in Telegram's 64 bytes


class TimetableDayCb(CallbackData, prefix="td"):
    """One day's timetable, shown in place of the message."""

    kind: str = Field(max_length=KIND_LENGTH)
    person: str = Field(max_length=MAX_PERSON_ID)
    day: str = Field(max_length=DATE_LENGTH)


class TimetableWeekCb(CallbackData, prefix="tw"):
    """A school week's timetable; `monday` is YYYYMMDD."""

    kind: str = Field(max_length=KIND_LENGTH)
    person: str = Field(max_length=MAX_PERSON_ID)
    monday: str = Field(max_length=DATE_LENGTH)


class TimetablePickCb(CallbackData, prefix="tp"):
    """Back to "whose timetable?" for the same day (span "d") or week (span "w")."""

    span: str = Field(max_length=KIND_LENGTH)
    day: str = Field(max_length=DATE_LENGTH)


def pack_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def unpack_date(packed: str) -> date | None:
    """The date a button names, or None when it is not a real YYYYMMDD date (how far it may be is a rule:
    service.py checks it)."""
    if not re.fullmatch(r"\d{8}", packed):
        return None
    try:
        return date(int(packed[:4]), int(packed[4:6]), int(packed[6:]))
    except ValueError:
        return None
