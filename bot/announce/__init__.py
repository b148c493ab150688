"""Announcements: a homeroom teacher writes to their class's parents (and students), an admin to any class or
the whole school (router: handlers/announce.py): audience, text or photo, preview, confirm.

rights.py: who may address whom; audience.py: the linked accounts an audience reaches; drafts.py: what may be
sent; render.py: what the recipients see, the sender named; service.py: what the router calls (re-checks, the
daily limit, queuing through the outbox with ref "ann:<id>", delivery status and history); screens.py,
callbacks.py, states.py: the conversation.
"""

from bot.announce.service import forget_announcements
from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature(
    "announce",
    commands=(Command("announce", N_("Send an announcement to a class"), Audience.INVITERS, in_menu=False),),
    on_user_forgotten=(forget_announcements,),
)
