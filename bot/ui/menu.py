"""The persistent main menu: the everyday actions, one tap away."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.access import roles_of

if TYPE_CHECKING:
    from bot.context import AppContext

# Button labels; handlers match them with F.text == MENU_X (lazy: compared in the user's language).
MENU_MARKS = __("📊 Today's marks")
MENU_GRADES = __("📚 Grades")
MENU_TODAY = __("📅 Timetable")
MENU_MESSAGE = __("✉️ Write to a teacher")
MENU_INBOX = __("📥 Inbox")
MENU_SETTINGS = __("⚙️ Settings")
MENU_LINK = __("🔑 Link an account")
MENU_HELP = __("❓ Help")
MENU_LABELS = (MENU_MARKS, MENU_GRADES, MENU_TODAY, MENU_MESSAGE, MENU_INBOX, MENU_SETTINGS, MENU_LINK, MENU_HELP)


def is_menu_label(text: str) -> bool:
    """A main-menu button in the user's current language."""
    return text in {str(label) for label in MENU_LABELS}


def main_menu(roles: Collection[str]) -> ReplyKeyboardMarkup:
    """What the user can do now, by the roles the account is linked as: before linking, only linking and help."""
    linked, has_family = bool(roles), bool(set(roles) - {"teacher"})
    if not linked:
        rows = [[KeyboardButton(text=str(MENU_LINK)), KeyboardButton(text=str(MENU_HELP))]]
    else:
        rows = []
        if has_family:
            rows.append([KeyboardButton(text=str(MENU_MARKS)), KeyboardButton(text=str(MENU_GRADES))])
        rows.append([KeyboardButton(text=str(MENU_TODAY)), KeyboardButton(text=str(MENU_MESSAGE))])
        rows.append([KeyboardButton(text=str(MENU_INBOX)), KeyboardButton(text=str(MENU_SETTINGS))])
    return ReplyKeyboardMarkup(
        keyboard=rows, resize_keyboard=True, is_persistent=True, input_field_placeholder=_("Choose an action")
    )


async def main_menu_for(ctx: AppContext, user_id: int) -> ReplyKeyboardMarkup:
    """The main menu as this account should see it now."""
    return main_menu(await roles_of(ctx.database, user_id))
