"""The announcement's buttons (prefixes "a…"). Classes, audiences and announcement ids in them are re-checked
on the server (service.py): the account must still be allowed to address that audience, or be the author."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.ui import bounds

MAX_CLASS = 32  # "5А", "10-Б (профиль)": class names are short; "*" is the whole school


class AnnStartCb(CallbackData, prefix="ab"):
    """Back to the start of /announce (whom is it for)."""


class AnnClassCb(CallbackData, prefix="ac"):
    """A class, or the whole school ("*"): next, parents only or with the students."""

    class_name: str = Field(max_length=MAX_CLASS)


class AnnWhoCb(CallbackData, prefix="aw"):
    """The audience: a class (or "*") and whether the students get it too."""

    class_name: str = Field(max_length=MAX_CLASS)
    students: bool


class AnnDraftCb(CallbackData, prefix="ad"):
    """The draft's buttons: "send", "edit" (write again) or "cancel"."""

    action: str = Field(max_length=6)


class AnnStatusCb(CallbackData, prefix="as"):
    """How far a sent announcement got (its author only)."""

    announcement_id: int = bounds.row_id()


class AnnHistoryCb(CallbackData, prefix="ah"):
    """The account's sent announcements, a page at a time (0 = latest)."""

    page: int = bounds.page()
