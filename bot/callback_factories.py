"""Every CallbackData factory of the bot, in one place, with short prefixes (callback data ≤ 64 bytes).

Features add their factories here; ids in callback data are re-checked on the server (bot/access.py).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


# --- linking (prefixes "l…"). A code id must be the one the server showed this user (kept in FSM data);
# a person id must be one of the account's own links.
class LinkConfirmCb(CallbackData, prefix="lk"):
    """Yes, link this account with the code just shown."""

    code_id: int


class LinkCancelCb(CallbackData, prefix="lc"):
    """Cancel the code step or the confirmation; nothing is used up."""


class UnlinkPickCb(CallbackData, prefix="lu"):
    """/unlink: the identity to remove (then asked to confirm)."""

    person: str


class UnlinkConfirmCb(CallbackData, prefix="ly"):
    """/unlink: yes, remove the link to this person."""

    person: str


class UnlinkCancelCb(CallbackData, prefix="ln"):
    """/unlink: keep everything."""


class ForgetCb(CallbackData, prefix="lf"):
    """/forget: erase everything (confirm=True) or keep it."""

    confirm: bool


# --- invitations (prefix "i…"). The class and role are re-checked against the caller's rights.
class InviteCb(CallbackData, prefix="iv"):
    """/invite steps: "role" (choose students/parents for `cls`), "fmt" (choose message or sheet),
    "go" (issue), "cancel". `cls` "" with role "teacher": all teachers; "" otherwise: the people in FSM data."""

    step: str
    cls: str = ""
    role: str = ""
    fmt: str = ""
