"""The events list's button (prefix "ev"): a page of the coming events, recomputed on every press."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.ui import bounds


class EventsPageCb(CallbackData, prefix="ev"):
    page: int = bounds.page()
