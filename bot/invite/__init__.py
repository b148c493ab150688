"""Issuing one-time codes to a class or to people: /invite in the bot, `ediary-bot invite` for staff."""

from bot.features import Feature

FEATURE = Feature("invite")
