"""bot.ui.keyboard.Keyboard cuts rows exactly as aiogram's InlineKeyboardBuilder would (it replaces it only
because the builder copies the keyboard at every button)."""

from __future__ import annotations

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.ui.keyboard import Keyboard


class PickCb(CallbackData, prefix="pick"):
    n: int


@pytest.mark.parametrize("count", [0, 1, 2, 5, 9, 17])
@pytest.mark.parametrize("sizes", [(), (1,), (2,), (3, 3, 1, 1), (1, 2), (8,), (2, 1, 3)])
def test_rows_are_cut_as_the_builder_cuts_them(count: int, sizes: tuple[int, ...]) -> None:
    ours, builder = Keyboard(), InlineKeyboardBuilder()
    for n in range(count):
        data = PickCb(n=n) if n % 2 else f"raw:{n}"
        ours.button(text=f"b{n}", callback_data=data)
        builder.button(text=f"b{n}", callback_data=data)
    ours.adjust(*sizes)
    builder.adjust(*sizes)
    assert ours.as_markup() == builder.as_markup()


def test_without_adjust_rows_are_as_wide_as_telegram_allows() -> None:
    ours, builder = Keyboard(), InlineKeyboardBuilder()
    for n in range(10):
        ours.button(text=str(n), callback_data=str(n))
        builder.button(text=str(n), callback_data=str(n))
    assert ours.as_markup() == builder.as_markup()


@pytest.mark.parametrize("size", [0, 9])
def test_a_row_size_telegram_refuses_is_an_error(size: int) -> None:
    with pytest.raises(ValueError):
        Keyboard().adjust(1, size)
