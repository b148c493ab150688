"""Linking Telegram accounts to e-diary people with the one-time codes the school issues (bot/invite/).

- service: what the handlers call: check a code, link after the person confirms, /me, /unlink, /forget
- redeem: checking and redeeming a code, one verdict per outcome; the link and the `person_linked` event
- ratelimit: at most 5 failed attempts per Telegram user per 15 minutes
- account: an account's own links: list, remove one, erase everything (/forget, with every feature's data)
- startup: the code secret, created before the first update

The code itself (shape, secret, validity, whom it is for) is bot.codes, shared with invite, which issues codes.
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_
from bot.linking.startup import prepare_linking

FEATURE = Feature(
    "linking",
    commands=(
        Command("link", N_("Link an e-diary account with a code")),
        Command("me", N_("What this account is linked to"), Audience.LINKED),
        Command("unlink", N_("Remove one of the linked people"), Audience.LINKED, in_menu=False),
        Command("forget", N_("Erase everything the bot stores about you"), in_menu=False),
    ),
    on_startup=(prepare_linking,),
)
