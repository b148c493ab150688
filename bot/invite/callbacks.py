"""The /invite buttons (prefix "i…"). The class and role are re-checked against the caller's rights
(service.py): a forged or outdated value is a stale button."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

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
