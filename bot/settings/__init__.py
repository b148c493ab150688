"""/settings: the screens (view.py) and the parsing of times typed by the user (times.py)."""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature("settings", commands=(Command("settings", N_("Alerts, quiet hours, language"), Audience.LINKED),))
