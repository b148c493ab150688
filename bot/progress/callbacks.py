"""The /progress buttons (prefixes "p…"). The student id is the provider's and is re-checked on the server;
periods and subjects travel as 8-character keys (periods.short_key): period "" is the current one, "y" the
whole year; subject "" is the chart of every subject."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.gradebook.periods import KEY_LENGTH

MAX_STUDENT_ID_BYTES = 32


class ProgressHomeCb(CallbackData, prefix="ph"):
    """/progress from the top: the child chooser, or the only child's progress."""


class ProgressListCb(CallbackData, prefix="pl"):
    """A child's progress in a period, every subject."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)
    period: str = Field(default="", max_length=KEY_LENGTH)


class ProgressChartCb(CallbackData, prefix="pc"):
    """A chart sent as a new photo (pressed under the progress text)."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)
    period: str = Field(max_length=KEY_LENGTH)
    subject: str = Field(default="", max_length=KEY_LENGTH)


class ProgressChartViewCb(CallbackData, prefix="pv"):
    """Another chart in place of the pressed photo (pressed under a chart)."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)
    period: str = Field(max_length=KEY_LENGTH)
    subject: str = Field(default="", max_length=KEY_LENGTH)
