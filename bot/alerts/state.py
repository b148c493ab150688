"""The poller's runtime state, kept in AppContext.poll between polls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.alerts.subscribers import FollowedClass
    from storage.links import Link

MAX_BACKOFF = timedelta(minutes=30)


@dataclass
class Backoff:
    """Consecutive failures of one class and when it may be polled again."""

    failures: int = 0
    retry_at: datetime | None = None

    def ready(self, now: datetime) -> bool:
        return self.retry_at is None or now >= self.retry_at

    def failed(self, now: datetime, interval: timedelta) -> timedelta:
        self.failures += 1
        delay = min(interval * 2 ** min(self.failures, 10), max(MAX_BACKOFF, interval))
        self.retry_at = now + delay
        return delay


@dataclass
class PollState:
    backoffs: dict[str, Backoff] = field(default_factory=dict)  # by class name ("" the followers lookup)
    # the followers the last poll found, with the links they were built from (reused while links are unchanged)
    followed: tuple[list[Link], dict[str, FollowedClass]] | None = None
