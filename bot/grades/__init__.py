"""Grades by subject and today's marks: the view model behind handlers/grades.py.

- stats: averages (weighted by work type; non-numeric marks such as "н" or "зч" are not averaged)
- periods: which dates a view covers (a provider period or the whole year) and the /marks look-back
- paging: pages of a long list of marks
- loader: everything read from the e-diary, under one deadline (ProviderUnavailable on timeout)
- render, keyboards: the texts and inline keyboards the user sees
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature(
    "grades",
    commands=(
        Command("marks", N_("Today's marks"), Audience.FAMILY),
        Command("grades", N_("Grades by subject"), Audience.FAMILY),
    ),
)
