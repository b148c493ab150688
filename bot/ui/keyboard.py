"""Inline keyboards: buttons added one by one, then cut into rows.

The same use as aiogram's InlineKeyboardBuilder (`button`, `adjust`, `as_markup`), without its cost: the
builder deep-copies the whole keyboard at every button added, which was a fifth of a /grades screen's time
(benchmarks/bench_updates.py). Screens build their keyboards once and never edit them, so nothing is copied."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

MAX_WIDTH = 8  # Telegram's (and the builder's) widest row


class Keyboard:
    def __init__(self) -> None:
        self.buttons: list[InlineKeyboardButton] = []
        self.sizes: tuple[int, ...] = (MAX_WIDTH,)

    def button(self, *, text: str, callback_data: CallbackData | str) -> None:
        packed = callback_data.pack() if isinstance(callback_data, CallbackData) else callback_data
        self.buttons.append(InlineKeyboardButton(text=text, callback_data=packed))

    def adjust(self, *sizes: int) -> None:
        """Rows of these sizes in turn, the last size repeated for the buttons left (the builder's rule)."""
        if any(not 1 <= size <= MAX_WIDTH for size in sizes):
            raise ValueError(f"row sizes must be 1..{MAX_WIDTH}: {sizes}")
        self.sizes = sizes or (MAX_WIDTH,)

    def as_markup(self) -> InlineKeyboardMarkup:
        rows: list[list[InlineKeyboardButton]] = []
        start = 0
        while start < len(self.buttons):
            size = self.sizes[min(len(rows), len(self.sizes) - 1)]
            rows.append(self.buttons[start : start + size])
            start += size
        return InlineKeyboardMarkup(inline_keyboard=rows)
