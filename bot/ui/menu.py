"""The persistent main menu: the everyday actions, one tap away."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.access import roles_of
from bot.ui.memo import per_language

if TYPE_CHECKING:
    from bot.context import AppContext

# Button labels; handlers match them with F.text == MENU_X (lazy: compared in the user's language).
MENU_MARKS = __("📊 Today's marks")
MENU_GRADES = __("📚 Grades")
MENU_TODAY = __("📅 Timetable")
MENU_MESSAGE = __("✉️ Write to a teacher")
MENU_WRITE_PARENTS = __("✉️ Write to parents")  # the same /message, as a teacher uses it
MENU_INBOX = __("📥 Inbox")
MENU_SETTINGS = __("⚙️ Settings")
MENU_LINK = __("🔑 Link an account")
MENU_HELP = __("❓ Help")
MENU_HOMEWORK = __("📝 Homework")
MENU_ATTENDANCE = __("📋 Attendance")
MENU_PROGRESS = __("📈 Progress")
MENU_EVENTS = __("🗓 Events")
MENU_LABELS = (
    MENU_MARKS,
    MENU_GRADES,
    MENU_TODAY,
    MENU_MESSAGE,
    MENU_WRITE_PARENTS,
    MENU_INBOX,
    MENU_SETTINGS,
    MENU_LINK,
    MENU_HELP,
    MENU_HOMEWORK,
    MENU_ATTENDANCE,
    MENU_PROGRESS,
    MENU_EVENTS,
)


def is_menu_label(text: str) -> bool:
    """A main-menu button in the user's current language (every typed text of a conversation step asks)."""
    return text in _labels()


@per_language(maxsize=4)
def _labels() -> frozenset[str]:
    return frozenset(str(label) for label in MENU_LABELS)


def main_menu(roles: Collection[str]) -> ReplyKeyboardMarkup:
    """What the user can do now, by the roles the account is linked as: before linking, only linking and help."""
    return _menu(bool(roles), bool(set(roles) - {"teacher"}))


@per_language(maxsize=16)  # three kinds of account in each language
def _menu(linked: bool, has_family: bool) -> ReplyKeyboardMarkup:
    if not linked:
        labels = [[MENU_LINK, MENU_HELP]]
    elif has_family:  # a parent or a student (a teacher who is also a parent writes to parents from /message)
        labels = [
            [MENU_MARKS, MENU_GRADES],
            [MENU_TODAY, MENU_HOMEWORK],
            [MENU_PROGRESS, MENU_ATTENDANCE],
            [MENU_MESSAGE, MENU_INBOX],
            [MENU_EVENTS, MENU_SETTINGS],
        ]
    else:
        labels = [[MENU_TODAY, MENU_INBOX], [MENU_WRITE_PARENTS, MENU_EVENTS], [MENU_SETTINGS, MENU_HELP]]
    rows = [[KeyboardButton(text=str(label)) for label in row] for row in labels]
    return ReplyKeyboardMarkup(
        keyboard=rows, resize_keyboard=True, is_persistent=True, input_field_placeholder=_("Choose an action")
    )


async def main_menu_for(ctx: AppContext, user_id: int) -> ReplyKeyboardMarkup:
    """The main menu as this account should see it now."""
    return main_menu(await roles_of(ctx.database, user_id))
