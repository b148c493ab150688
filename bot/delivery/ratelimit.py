"""When the next message may go to Telegram: an overall rate, a per-chat spacing and bot-wide pauses.

Telegram allows about 30 messages a second overall, one a second per private chat and 20 a minute per
group; a 429 answer's retry_after applies to the whole bot. Times come from the injected clock.
"""

from __future__ import annotations

import math
from collections import deque
from datetime import datetime, timedelta

PRIVATE_CHAT_GAP = timedelta(seconds=1)
GROUP_CHAT_GAP = timedelta(seconds=3)  # 20 a minute


def chat_gap(chat_id: int) -> timedelta:
    return GROUP_CHAT_GAP if chat_id < 0 else PRIVATE_CHAT_GAP


class SendThrottle:
    def __init__(self, per_second: float) -> None:
        # a sliding window: at most `burst` sends in any `window` (25 in any second; 0.5/s: 1 in any 2 s)
        self.burst = max(1, math.floor(per_second))
        self.window = timedelta(seconds=self.burst / per_second)
        self.paused_until: datetime | None = None
        self._recent: deque[datetime] = deque(maxlen=self.burst)
        self._next_in_chat: dict[int, datetime] = {}

    def ready_at(self, chat_id: int, now: datetime) -> datetime:
        """The earliest moment a message to this chat may be sent."""
        window_free = self._recent[0] + self.window if len(self._recent) == self.burst else None
        candidates = [now, window_free, self._next_in_chat.get(chat_id), self.paused_until]
        return max(moment for moment in candidates if moment is not None)

    def record(self, chat_id: int, at: datetime) -> None:
        """A request to this chat went out at `at` (whatever Telegram answered)."""
        self._recent.append(at)
        self._next_in_chat[chat_id] = at + chat_gap(chat_id)
        if len(self._next_in_chat) > 1000:
            self._next_in_chat = {chat: t for chat, t in self._next_in_chat.items() if t > at}

    def pause(self, until: datetime) -> None:
        """Send nothing at all before `until`."""
        if self.paused_until is None or until > self.paused_until:
            self.paused_until = until

    def is_paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until
