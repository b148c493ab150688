"""Linking Telegram accounts to e-diary people with one-time codes.

- codes: generation (59 bits from `secrets`, no look-alike characters), normalization, deep links
- secret: the HMAC key (CODE_SECRET, or generated into the data directory with 0600 permissions)
- people: whom a code is for (class, children, subjects); class lookups
- issue / redeem: issuing and revoking codes; checking, confirming and undoing links
- ratelimit: at most 5 failed attempts per Telegram user per 15 minutes
- sheet / export: the printable A4 sheet with QR codes; table, JSON and CSV for the CLI
- username: the bot's @username for t.me links (BOT_USERNAME or getMe, cached)
"""

from bot.features import Command, Feature
from bot.i18n import N_
from bot.linking.startup import prepare_linking

FEATURE = Feature(
    "linking",
    commands=(
        Command("link", N_("Link an e-diary account with a code")),
        Command("me", N_("What this account is linked to")),
    ),
    on_startup=(prepare_linking,),
)
