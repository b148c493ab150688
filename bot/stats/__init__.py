"""/stats: the school's admins (ADMIN_IDS) see at a glance how the bot is doing: who has linked, which
classes' students and families have joined, what was sent, what waits, and how the e-diary answers.

- service: the admin check and the counts (storage, the e-diary's class lists under one deadline, the app's
  poll state and metrics)
- screens: the overview and the refusal"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

# Not in Telegram's command menu: the menu is the same for everyone, and /stats is for a few admins.
FEATURE = Feature("stats", commands=(Command("stats", N_("School overview"), Audience.ADMINS, in_menu=False),))
