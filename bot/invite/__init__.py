"""Issuing one-time codes to a class or to people: /invite in the bot, `ediary-bot invite` for staff.

- service: what /invite calls: who may issue codes for whom, issuing them
- rights: an admin (ADMIN_IDS) for anyone; a linked homeroom teacher for their class's students and parents
- people: a class's students and parents, every teacher; class names as people type them
- issue: issuing and revoking codes (stored as hashes, with audit rows); the same for the bot and the CLI
- joining / joining_screens: who of a class has not joined yet (family by family, with their working codes), in pages
- sheet / export: the printable A4 sheet with QR codes; table, JSON and CSV for the CLI
- username: the bot's @username for t.me links (BOT_USERNAME or getMe, cached for the CLI at startup)

The code itself (shape, secret, validity, whom it is for) is bot.codes, shared with linking, which redeems codes.
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_
from bot.invite.startup import remember_bot_username

FEATURE = Feature(
    "invite",
    # not in Telegram's menu, which is the same for everyone: /help shows it to those who may use it
    commands=(Command("invite", N_("Issue one-time codes to link Telegram"), Audience.INVITERS, in_menu=False),),
    on_startup=(remember_bot_username,),
)
