"""Every CallbackData factory of the bot, in one place, with short prefixes (callback data ≤ 64 bytes).

Features add their factories here; ids in callback data are re-checked on the server (bot/access.py).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


# --- messaging teachers (prefixes "m…"). Thread, student and teacher ids are re-checked on the server
# (bot/messaging/people.py): the caller must be a participant / may write to that teacher about that student.
class MsgStartCb(CallbackData, prefix="mb"):
    """Back to the start of /message (the child chooser)."""


class MsgChildCb(CallbackData, prefix="mc"):
    """/message: the child to write about."""

    student: str


class MsgTeacherCb(CallbackData, prefix="mt"):
    """/message: the teacher to write to about this student."""

    student: str
    teacher: str


class MsgDraftCb(CallbackData, prefix="md"):
    """The draft's buttons: action "send", "edit" (write again) or "cancel"."""

    action: str


class MsgReplyCb(CallbackData, prefix="mr"):
    """Reply in a thread (the button under a relayed message or in the thread view)."""

    thread_id: int


class MsgThreadCb(CallbackData, prefix="mh"):
    """A thread's history, a page at a time (0 = latest); `fresh` sends it as a new message."""

    thread_id: int
    page: int = 0
    fresh: bool = False


class MsgInboxCb(CallbackData, prefix="mi"):
    """/inbox, a page of threads."""

    page: int = 0


class MsgMuteCb(CallbackData, prefix="mm"):
    """A teacher mutes (or unmutes) one thread for their account."""

    thread_id: int
    mute: bool


class MsgOpenCb(CallbackData, prefix="mo"):
    """Show one message of the history in full (a long text, a photo, a document)."""

    message_id: int


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
