"""The command menu (setMyCommands) for the default scope and for each language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from bot.i18n import DEFAULT_LOCALE, N_, SUPPORTED_LOCALES, PoI18n

# (command, description msgid); descriptions are translated per language.
COMMANDS: list[tuple[str, str]] = [
    ("marks", N_("Today's marks")),
    ("grades", N_("Grades by subject")),
    ("today", N_("Today's timetable")),
    ("tomorrow", N_("Tomorrow's timetable")),
    ("week", N_("The week's timetable")),
    ("message", N_("Write to a teacher")),
    ("inbox", N_("Conversations with teachers")),
    ("settings", N_("Alerts, quiet hours, language")),
    ("link", N_("Link an e-diary account with a code")),
    ("me", N_("What this account is linked to")),
    ("help", N_("What the bot can do")),
]


def localized_commands(i18n: PoI18n, locale: str) -> list[BotCommand]:
    return [BotCommand(command=name, description=i18n.gettext(text, locale=locale)) for name, text in COMMANDS]


async def set_bot_commands(bot: Bot, i18n: PoI18n) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(localized_commands(i18n, DEFAULT_LOCALE))
    await bot.set_my_commands(localized_commands(i18n, DEFAULT_LOCALE), scope=scope)
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(localized_commands(i18n, locale), language_code=locale)
        await bot.set_my_commands(localized_commands(i18n, locale), scope=scope, language_code=locale)
