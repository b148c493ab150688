"""Times typed by users ("18:00", "7.30", "22-7", "с 22:00 до 07:00") and times carried in buttons ("1800")."""

from __future__ import annotations

import re
from datetime import time

_TIME = r"(?<!\d)(\d{1,2})(?:[:.](\d{2}))?(?!\d)"
_ONE = re.compile(rf"^\s*{_TIME}\s*$")
_TOKEN = re.compile(_TIME)
# what may stand around two times of a range: dashes, "from/to", "с/до"
_FILLER = re.compile(r"^(?:\s|-|–|—|from|to|till|until|с|со|до|по)*$", re.IGNORECASE)


def _make(hours: str, minutes: str | None) -> time | None:
    h, m = int(hours), int(minutes or 0)
    if h > 23 or m > 59:
        return None
    return time(h, m)


def parse_time(text: str) -> time | None:
    """'18:00', '18.00', '8:30', '18' -> time; anything else -> None."""
    match = _ONE.match(text)
    return _make(match[1], match[2]) if match else None


def parse_range(text: str) -> tuple[time, time] | None:
    """Two times with only a dash or words like 'to' / 'до' between them -> (start, end); else None."""
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) != 2:
        return None
    rest = _TOKEN.sub(" ", text)
    if not _FILLER.match(rest):
        return None
    start, end = (_make(m[1], m[2]) for m in tokens)
    if start is None or end is None:
        return None
    return start, end


def pack_time(value: time) -> str:
    return value.strftime("%H%M")


def unpack_time(value: str) -> time | None:
    """A button's 'HHMM'; None for anything else (a forged button)."""
    if len(value) != 4 or not value.isdigit():
        return None
    return _make(value[:2], value[2:])


def show_time(value: time) -> str:
    return value.strftime("%H:%M")
