"""The e-diary did not answer: say so, change nothing, offer to try again with the same button."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.ui.keyboard import Keyboard
from bot.ui.screen import Screen


def outage_screen(text: str, retry_data: str) -> Screen:
    """`text` says what could not be shown; the button repeats `retry_data` (the callback that failed)."""
    keyboard = Keyboard()
    keyboard.button(text=_("🔄 Try again"), callback_data=retry_data)
    return Screen(text, keyboard.as_markup())
