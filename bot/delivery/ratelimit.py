"""When the next message may go to Telegram, and whether a refusal concerns one chat or the whole bot.

Telegram allows about 30 messages a second overall, one a second per chat and 20 a minute per group,
counted when a request reaches it. Times come from the injected clock.
- Overall: requests start 1/rate apart; after a quiet moment up to BURST may start at once.
- Per chat: the next request starts CHAT_GAP (a group: GROUP_CHAT_GAP) plus CHAT_MARGIN after Telegram
  *answered* the previous one. Telegram counted that one before it answered, so no jitter in the network,
  the database or the event loop can bring two arrivals closer than the limit.
- A 429 holds its chat for retry_after; it pauses the whole bot when Telegram says the bot is limited:
  429s for two different chats within FLOOD_WINDOW, or a retry_after longer than CHAT_FLOOD_MAX.
- A server or network error holds its chat (the item's backoff); errors for two different chats within
  OUTAGE_WINDOW with no request answered in between mean Telegram is down: the whole bot pauses.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

PRIVATE_CHAT_GAP = timedelta(seconds=1)
GROUP_CHAT_GAP = timedelta(seconds=3)  # 20 a minute
CHAT_MARGIN = timedelta(milliseconds=25)  # clocks and counting on Telegram's side are not ours
BURST = 4  # with the default 25/s at most 28 requests start in any second, against Telegram's 30
FLOOD_WINDOW = timedelta(seconds=2)
CHAT_FLOOD_MAX = timedelta(seconds=60)  # no per-chat limit asks for more (a group's is a minute)
OUTAGE_WINDOW = timedelta(seconds=60)


def chat_gap(chat_id: int) -> timedelta:
    return GROUP_CHAT_GAP if chat_id < 0 else PRIVATE_CHAT_GAP


class SendThrottle:
    def __init__(self, per_second: float) -> None:
        self.interval = timedelta(seconds=1 / per_second)
        self.tolerance = self.interval * (min(BURST, max(1, math.floor(per_second))) - 1)  # a slow pace: no burst
        self.paused_until: datetime | None = None
        self._next_start: datetime | None = None  # when the next request is due if sent at an even pace
        self._chat_ready: dict[int, datetime] = {}
        self._floods: dict[int, datetime] = {}  # chat -> its latest 429
        self._failures: dict[int, datetime] = {}  # chat -> its latest error since the last answer that was not one

    # --- when -------------------------------------------------------------------------------
    def slot_at(self, now: datetime) -> datetime:
        """The earliest moment any request may start (the overall pace and a bot-wide pause)."""
        candidates = [now, self.paused_until]
        if self._next_start is not None:
            candidates.append(self._next_start - self.tolerance)
        return max(moment for moment in candidates if moment is not None)

    def ready_at(self, chat_id: int, now: datetime) -> datetime:
        """The earliest moment a request to this chat may start."""
        chat = self._chat_ready.get(chat_id)
        slot = self.slot_at(now)
        return slot if chat is None else max(slot, chat)

    def started(self, at: datetime) -> None:
        """A request goes out now: it takes the next place in the overall pace."""
        self._next_start = max(self._next_start or at, at) + self.interval

    def answered(self, chat_id: int, at: datetime) -> None:
        """Telegram answered a request to this chat (whatever it said) at `at`."""
        self.hold_chat(chat_id, at + chat_gap(chat_id) + CHAT_MARGIN)
        if len(self._chat_ready) > 1000:
            self._chat_ready = {chat: t for chat, t in self._chat_ready.items() if t > at}

    # --- holds and pauses -------------------------------------------------------------------
    def hold_chat(self, chat_id: int, until: datetime) -> None:
        """Send nothing to this chat before `until`."""
        current = self._chat_ready.get(chat_id)
        if current is None or until > current:
            self._chat_ready[chat_id] = until

    def pause(self, until: datetime) -> None:
        """Send nothing at all before `until`."""
        if self.paused_until is None or until > self.paused_until:
            self.paused_until = until

    def is_paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    # --- what a refusal means ---------------------------------------------------------------
    def flood(self, chat_id: int, at: datetime, retry_after: timedelta) -> bool:
        """A 429 for this chat; True when it limits the whole bot rather than this chat."""
        self._floods = {chat: t for chat, t in self._floods.items() if at - t < FLOOD_WINDOW and chat != chat_id}
        others = bool(self._floods)
        self._floods[chat_id] = at
        return others or retry_after > CHAT_FLOOD_MAX

    def failed(self, chat_id: int, at: datetime) -> bool:
        """A server or network error for this chat; True when it looks like Telegram is down for everyone."""
        self._failures = {c: t for c, t in self._failures.items() if at - t < OUTAGE_WINDOW and c != chat_id}
        outage = bool(self._failures)
        self._failures[chat_id] = at
        return outage

    def succeeded(self) -> None:
        """A request got an answer that was not a server error: Telegram is up."""
        self._failures.clear()
