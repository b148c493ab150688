"""Recognising a code sent without /link first: the same reading (bot.codes.code.normalize_code) as a code
typed after /link, so whatever one path accepts the other does too."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message

from bot.codes.code import normalize_code


class CodeAlone(Filter):
    """The whole text is one code (in any case, with any separators a phone puts in)."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and normalize_code(message.text) is not None
