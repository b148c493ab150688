"""One-time link codes: generation, normalization of what people type, and the deep link.

A code is 12 characters from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L): 59 bits from
`secrets`. It is shown in groups (`K7QF-93XM-RT2P`) and accepted in any case, with or without dashes or
spaces, even typed with Cyrillic letters that look like Latin ones (a Russian keyboard layout).
`normalize_code` is the one reading of what people type: after /link, in `/link CODE`, in `/start CODE`
and in a code pasted alone.
"""

from __future__ import annotations

import math
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
CODE_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
EXAMPLE_CODE = "K7QF-93XM-RT2P"  # shown in hints; never issued as such (it is just a shape)

# Cyrillic capitals that look like Latin ones, as typed on a Russian layout.
_CYRILLIC_TWINS = str.maketrans("АВЕКМНРСТХУ", "ABEKMHPCTXY")
# What people and phones put between the groups: spaces, dashes of every length (a phone turns "--" into
# an en dash), underscores and dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")  # hyphens, figure dash, en/em dashes, minus


def generate_code() -> str:
    """A new code in canonical form (12 characters, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str | None) -> str | None:
    """The canonical code for what a person typed, or None when it cannot be a code at all."""
    if not text:
        return None
    cleaned = _SEPARATORS.sub("", text).upper().translate(_CYRILLIC_TWINS)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def format_code(code: str) -> str:
    """'K7QF93XMRT2P' -> 'K7QF-93XM-RT2P' (how codes are printed and shown)."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def deep_link(bot_username: str, code: str) -> str:
    """The t.me link that opens the bot with `/start CODE`."""
    return f"https://t.me/{bot_username}?start={code}"
