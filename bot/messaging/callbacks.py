"""Messaging's buttons (prefixes "m…"). Thread, message, student and teacher ids are re-checked on the server
(service.py): the account must be a participant / may write to that teacher about that student.

Ids are the e-diary's (ASCII, at most 19 digits for the real ones): 32 + 26 characters keep "mt:..." within
Telegram's 64 bytes.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.ui import bounds

MAX_STUDENT_ID = 32
MAX_TEACHER_ID = 26
MAX_CLASS = 32


class MsgStartCb(CallbackData, prefix="mb"):
    """Back to the start of /message (the child chooser)."""


class MsgChildCb(CallbackData, prefix="mc"):
    """/message: the child to write about."""

    student: str = Field(max_length=MAX_STUDENT_ID)


class MsgTeacherCb(CallbackData, prefix="mt"):
    """/message: the teacher to write to about this student."""

    student: str = Field(max_length=MAX_STUDENT_ID)
    teacher: str = Field(max_length=MAX_TEACHER_ID)


class MsgDraftCb(CallbackData, prefix="md"):
    """The draft's buttons: action "send", "edit" (write again) or "cancel"."""

    action: str = Field(max_length=6)


class MsgReplyCb(CallbackData, prefix="mr"):
    """Reply in a thread (the button under a relayed message or in the thread view)."""

    thread_id: int = bounds.row_id()


class MsgThreadCb(CallbackData, prefix="mh"):
    """A thread's history, a page at a time (0 = latest); `fresh` sends it as a new message."""

    thread_id: int = bounds.row_id()
    page: int = bounds.page()
    fresh: bool = False


class MsgInboxCb(CallbackData, prefix="mi"):
    """/inbox, a page of threads."""

    page: int = bounds.page()


class MsgMuteCb(CallbackData, prefix="mm"):
    """A teacher mutes (or unmutes) one thread for their account."""

    thread_id: int = bounds.row_id()
    mute: bool


class MsgOpenCb(CallbackData, prefix="mo"):
    """Show one message of the history in full (a long text, a photo, a document)."""

    message_id: int = bounds.row_id()


# --- a teacher writes to a student's parents (outreach.py) -------------------------------------------------


class MsgClassesCb(CallbackData, prefix="mq"):
    """A teacher's classes, to choose whose parents to write to."""


class MsgClassCb(CallbackData, prefix="mk"):
    """The students of one of the teacher's classes."""

    class_name: str = Field(max_length=MAX_CLASS)


class MsgPupilCb(CallbackData, prefix="mp"):
    """A student's parents, as the teacher would write to them."""

    student: str = Field(max_length=MAX_STUDENT_ID)


class MsgToParentsCb(CallbackData, prefix="mw"):
    """Write to this student's parents."""

    student: str = Field(max_length=MAX_STUDENT_ID)
