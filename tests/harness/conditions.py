"""What the fake Bot API can make harder than an instant answer: Telegram's flood limits, enforced, and
requests held unanswered (a hang) until a test releases them.

    tg.core.enforce_limits()            # 30 a second overall, 1 a second per chat, 20 a minute per group
    hold = tg.core.hold_next("sendMessage", chat_id=1001)
    await hold.reached.wait()           # the request is in the server's hands, unanswered
    hold.release()

Limits are measured when a request reaches the limiter, on the clock the server sees (`now`, in seconds;
the HTTP fake's loop clock by default, a test's ManualClock in process). Only accepted messages count.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Bot API methods that put a message into a chat (edits, answers and reads are not limited here)
SENDING_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage",
        "copyMessage",
        "forwardMessage",
        "sendDocument",
        "sendPhoto",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendContact",
        "sendPoll",
    )
)


@dataclass(frozen=True)
class Refusal:
    """A 429 the limiter answered: which limit, for which chat, when (server clock), and retry_after."""

    scope: str  # "overall", "chat" or "group"
    chat_id: int
    at: float
    retry_after: int


class FloodLimits:
    """Telegram's flood control as documented: beyond a limit, 429 with the seconds until it allows again."""

    def __init__(
        self,
        now: Callable[[], float],
        *,
        per_second: int = 30,
        chat_gap: float = 1.0,
        group_per_minute: int = 20,
    ) -> None:
        self.now = now
        self.per_second = per_second
        self.chat_gap = chat_gap
        self.group_per_minute = group_per_minute
        self.accepted: list[tuple[float, int]] = []  # (server time, chat id) of every message let through
        self.refused: list[Refusal] = []
        self._second: deque[float] = deque()
        self._last_in_chat: dict[int, float] = {}
        self._group_minute: dict[int, deque[float]] = {}

    def admit(self, method: str, chat_id: int | None) -> Refusal | None:
        """Let a message through (it counts) or say which limit it breaks."""
        if method.lower() not in SENDING_METHODS or chat_id is None:
            return None
        at = self.now()
        refusal = self._refusal(chat_id, at)
        if refusal is not None:
            self.refused.append(refusal)
            return refusal
        self.accepted.append((at, chat_id))
        self._second.append(at)
        self._last_in_chat[chat_id] = at
        if chat_id < 0:
            self._group_minute.setdefault(chat_id, deque()).append(at)
        return None

    def _refusal(self, chat_id: int, at: float) -> Refusal | None:
        last = self._last_in_chat.get(chat_id)
        if last is not None and at - last < self.chat_gap:
            return Refusal("chat", chat_id, at, _seconds(last + self.chat_gap - at))
        if chat_id < 0:
            minute = self._group_minute.setdefault(chat_id, deque())
            while minute and minute[0] <= at - 60:
                minute.popleft()
            if len(minute) >= self.group_per_minute:
                return Refusal("group", chat_id, at, _seconds(minute[0] + 60 - at))
        while self._second and self._second[0] <= at - 1:
            self._second.popleft()
        if len(self._second) >= self.per_second:
            return Refusal("overall", chat_id, at, _seconds(self._second[0] + 1 - at))
        return None


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))


@dataclass
class Hold:
    """One request to keep unanswered: `reached` is set when it arrives; it goes on after `release()`;
    `abandoned` if the client gave up on it first (its timeout, a dropped connection)."""

    method: str  # lower-cased, "*" for any
    chat_id: int | None
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    taken: bool = False
    abandoned: bool = False

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        return (
            not self.taken
            and self.method in ("*", method.lower())
            and (self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id))
        )

    def release(self) -> None:
        self.released.set()

    async def until_released(self) -> None:
        try:
            await self.released.wait()
        except asyncio.CancelledError:
            self.abandoned = True
            raise


class HeldRequests:
    """The holds a test asked for; each catches the next matching request once."""

    def __init__(self) -> None:
        self._holds: list[Hold] = []

    def add(self, method: str, chat_id: int | None) -> Hold:
        hold = Hold(method.lower(), chat_id)
        self._holds.append(hold)
        return hold

    def take(self, method: str, params: dict[str, Any]) -> Hold | None:
        """The hold this request falls under, if any (it is then used up)."""
        hold = next((h for h in self._holds if h.matches(method, params)), None)
        if hold is not None:
            hold.taken = True
            hold.reached.set()
        return hold

    def release_all(self) -> None:
        for hold in self._holds:
            hold.release()
