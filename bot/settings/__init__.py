"""/settings: alert toggles, quiet hours, reminder time, daily summary and language (service.py), their screens
(screens.py), buttons (callbacks.py), the typed-time step (states.py) and the parsing of typed times (times.py)."""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature("settings", commands=(Command("settings", N_("Alerts, quiet hours, language"), Audience.LINKED),))
