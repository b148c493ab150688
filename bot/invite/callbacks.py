"""The /invite buttons (prefixes "iv", "ij"). The class and role are re-checked against the caller's rights
(service.py): a forged or outdated value is a stale button."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.ui import bounds

STEP_LENGTH = 6  # "role", "fmt", "go", "cancel"
ROLE_LENGTH = 8  # "student", "parent", "all", "teacher"
FORMAT_LENGTH = 4  # "msg", "html"
# Class names are short ("7-Б", "10А") and Cyrillic takes 2 bytes: 20 characters, 40 bytes, is what fits
# beside the longest other values ("iv:cancel::teacher:html") in Telegram's 64 bytes.
MAX_CLASS_NAME = 20


class InviteCb(CallbackData, prefix="iv"):
    """/invite steps: "role" (choose students/parents for `cls`), "fmt" (choose message or sheet),
    "go" (issue), "cancel". `cls` "" with role "teacher": all teachers; "" otherwise: the people in FSM data."""

    step: str = Field(max_length=STEP_LENGTH)
    cls: str = Field(default="", max_length=MAX_CLASS_NAME)
    role: str = Field(default="", max_length=ROLE_LENGTH)
    fmt: str = Field(default="", max_length=FORMAT_LENGTH)


ACT_LENGTH = 4  # "list", "fmt", "go"


class JoiningCb(CallbackData, prefix="ij"):
    """Who of class `cls` has not joined yet: "list" (that list, at `page`), "fmt" (message or sheet for the codes),
    "go" (issue them). `renew`: new codes for everyone waiting, revoking those that still work; otherwise codes
    only for those without one. `page` is kept so "back" returns to the same page."""

    act: str = Field(max_length=ACT_LENGTH)
    cls: str = Field(max_length=MAX_CLASS_NAME)
    page: int = bounds.page()
    renew: bool = False
    fmt: str = Field(default="", max_length=FORMAT_LENGTH)
