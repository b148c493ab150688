"""Recognising a code sent without /link first: the same reading (bot.codes.code.normalize_code) as a code
typed after /link, so whatever one path accepts the other does too."""

from __future__ import annotations

from bot.codes.code import normalize_code
from bot.filters import FreeText


class CodeAlone(FreeText):
    """The whole text is one code (in any case, with any separators a phone puts in)."""

    def accepts(self, text: str) -> bool:
        return normalize_code(text) is not None
