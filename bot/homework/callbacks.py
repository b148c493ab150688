"""The /homework buttons (prefixes "hv", "hk"). Everything is re-checked on the server: a child the account may not
see, or homework that is not among what the student has to do now, is a stale button."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

MAX_ID = 50  # "hk:" + a homework id, "hv:" + a student id: within Telegram's 64 bytes


class HomeworkViewCb(CallbackData, prefix="hv"):
    """A child's homework (`student` "": the child chosen last, or the only one)."""

    student: str = Field(max_length=MAX_ID)


class HomeworkTickCb(CallbackData, prefix="hk"):
    """Tick (or untick) one assignment as done: only for the student themself."""

    homework: str = Field(max_length=MAX_ID)
