"""The /grades buttons (prefixes "g…"). A student id is the provider's id (≤ MAX_STUDENT_ID_BYTES) and is
re-checked on the server; periods and subjects travel as 8-character keys (keys.py): "" is the current
period, "y" the whole year."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.gradebook.periods import KEY_LENGTH
from bot.ui import bounds

MAX_STUDENT_ID_BYTES = 32


class GradesHomeCb(CallbackData, prefix="gh"):
    """/grades from the top: the child chooser, or the only child's subjects."""


class GradesListCb(CallbackData, prefix="gl"):
    """A child's subjects in a period."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)
    period: str = Field(default="", max_length=KEY_LENGTH)


class GradesSubjectCb(CallbackData, prefix="gs"):
    """One subject's marks in a period, a page at a time."""

    student: str = Field(max_length=MAX_STUDENT_ID_BYTES)
    period: str = Field(max_length=KEY_LENGTH)
    subject: str = Field(max_length=KEY_LENGTH)
    page: int = bounds.page()
