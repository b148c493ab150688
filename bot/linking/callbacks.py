"""The linking buttons (prefixes "l…"). A code id must be the one the server showed this user (kept in FSM
data, states.py); a person id must be one of the account's own links (service.py)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.ui import bounds

MAX_PERSON_ID = 60  # the most that fits: "lu:" + an id (ASCII) in Telegram's 64 bytes


class LinkConfirmCb(CallbackData, prefix="lk"):
    """Yes, link this account with the code just shown."""

    code_id: int = bounds.row_id()


class LinkCancelCb(CallbackData, prefix="lc"):
    """Cancel the code step or the confirmation; nothing is used up."""


class UnlinkPickCb(CallbackData, prefix="lu"):
    """/unlink: the identity to remove (then asked to confirm)."""

    person: str = Field(max_length=MAX_PERSON_ID)


class UnlinkConfirmCb(CallbackData, prefix="ly"):
    """/unlink: yes, remove the link to this person."""

    person: str = Field(max_length=MAX_PERSON_ID)


class UnlinkCancelCb(CallbackData, prefix="ln"):
    """/unlink: keep everything."""


class ForgetCb(CallbackData, prefix="lf"):
    """/forget: erase everything (confirm=True) or keep it."""

    confirm: bool
