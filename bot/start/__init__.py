"""/start and /help: what the bot does and how to begin; and the answer to anything nobody understood."""

from bot.features import Command, Feature
from bot.i18n import N_

FEATURE = Feature("start", commands=(Command("help", N_("What the bot can do")),))
