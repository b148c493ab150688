"""Telegram's command menu (setMyCommands), for the default scope and for each language, from the commands
the features declare (bot/features.py), in the order of their audience: a family's everyday ones first."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from bot.features import Audience, Command
from bot.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, PoI18n

_AUDIENCE_ORDER = [
    Audience.FAMILY,
    Audience.LINKED,
    Audience.TEACHERS,
    Audience.INVITERS,
    Audience.ADMINS,
    Audience.EVERYONE,
]


def ordered(commands: Iterable[Command]) -> list[Command]:
    """By audience, then in the order the features are listed."""
    return sorted(commands, key=lambda command: _AUDIENCE_ORDER.index(command.audience))


def localized_commands(i18n: PoI18n, locale: str, commands: Iterable[Command]) -> list[BotCommand]:
    return [
        BotCommand(command=c.name, description=i18n.gettext(c.description, locale=locale))
        for c in ordered(commands)
        if c.in_menu
    ]


async def set_bot_commands(bot: Bot, i18n: PoI18n, commands: tuple[Command, ...]) -> None:
    scope = BotCommandScopeAllPrivateChats()
    default = localized_commands(i18n, DEFAULT_LOCALE, commands)
    await bot.set_my_commands(default)
    await bot.set_my_commands(default, scope=scope)
    for locale in SUPPORTED_LOCALES:
        menu = localized_commands(i18n, locale, commands)
        await bot.set_my_commands(menu, language_code=locale)
        await bot.set_my_commands(menu, scope=scope, language_code=locale)
