"""The /marks button (prefix "gt", from the days /marks and /grades were one feature)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MarksRetryCb(CallbackData, prefix="gt"):
    """/marks again, after the e-diary did not answer."""
