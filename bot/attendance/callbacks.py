"""The /attendance button (prefix "at"): whose attendance over which period. Re-checked on the server: a student
the account may not see, or a period no longer given, is a stale button."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

MAX_STUDENT_ID = 50  # "at:" + id + ":-2" within Telegram's 64 bytes
CURRENT = -1  # the period containing today (whatever it is when pressed)
WHOLE_YEAR = -2
MAX_PERIODS = 12  # more than any school year has


class AttendanceCb(CallbackData, prefix="at"):
    """`student` "": the child chosen last (or the only one); `period`: an index into the e-diary's periods,
    CURRENT or WHOLE_YEAR."""

    student: str = Field(max_length=MAX_STUDENT_ID)
    period: int = Field(ge=WHOLE_YEAR, le=MAX_PERIODS - 1)
