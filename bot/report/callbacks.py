"""The /report buttons (prefixes "r…"). The student id is the provider's and is re-checked on the server; a
period travels as its 8-character key (bot.gradebook.periods), "y" for the whole year."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.gradebook.periods import KEY_LENGTH

MAX_STUDENT_ID_BYTES = 32


class ReportHomeCb(CallbackData, prefix="rh"):
    """/report from the top: the child chooser, or the only child's periods."""


class ReportChildCb(CallbackData, prefix="rc"):
    """A child's periods to choose from."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)


class ReportMakeCb(CallbackData, prefix="rm"):
    """Make and send the report of a child and period."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)
    period: str = Field(max_length=KEY_LENGTH)
