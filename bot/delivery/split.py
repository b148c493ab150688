"""Telegram's size limits: longer texts go as several messages, a caption that does not fit is shortened.

One splitter for every sender: alerts measure with `len`; relayed messages measure what Telegram counts
after parsing HTML, in UTF-16 units (`utf16_len`, `visible_len`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

MESSAGE_LIMIT = 4096  # a message's text
CAPTION_LIMIT = 1024  # a photo's or a document's caption

Measure = Callable[[str], int]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_len(html_text: str) -> int:
    """Length Telegram counts after parsing HTML (UTF-16 units)."""
    return utf16_len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def fitting_prefix(text: str, limit: int, measure: Measure = len) -> int:
    """How many characters from the start of `text` fit in `limit` (a measure grows with the prefix)."""
    if measure(text) <= limit:
        return len(text)
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split_message(text: str, limit: int = MESSAGE_LIMIT, *, measure: Measure = len) -> list[str]:
    """Pieces of at most `limit`: whole lines where they fit (the line break between pieces is dropped),
    a single line longer than the limit is cut."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while measure(line) > limit:
            if current:
                parts.append(current)
                current = ""
            cut = max(1, fitting_prefix(line, limit, measure))
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if measure(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    return parts or [text]


def shorten(text: str, limit: int, *, measure: Measure = len, ellipsis: str = "…") -> str:
    """`text` if it fits in `limit`, else its beginning and `ellipsis`, cut after a line break when one is
    in the second half of what fits."""
    if measure(text) <= limit:
        return text
    cut = fitting_prefix(text, limit - measure(ellipsis), measure)
    newline = text.rfind("\n", 0, cut)
    if newline > cut // 2:
        cut = newline + 1
    return text[:cut] + ellipsis
