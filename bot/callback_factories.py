"""Every CallbackData factory of the bot, in one place, with short prefixes (callback data ≤ 64 bytes).

Features add their factories here; ids in callback data are re-checked on the server (bot/access.py).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CancelCb(CallbackData, prefix="x"):
    """The generic Cancel button of a conversation step."""
