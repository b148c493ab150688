"""What every feature's screens share: one Screen type, one way to show it in place, one stale-button answer,
one outage screen with a retry, one Translator for texts outside an update, and the main menu."""

from bot.ui.menu import MENU_LABELS, is_menu_label, main_menu, main_menu_for
from bot.ui.outage import outage_screen
from bot.ui.screen import Screen, answer_with, show, stale_button
from bot.ui.translator import Translator

__all__ = [
    "MENU_LABELS",
    "Screen",
    "Translator",
    "answer_with",
    "is_menu_label",
    "main_menu",
    "main_menu_for",
    "outage_screen",
    "show",
    "stale_button",
]
