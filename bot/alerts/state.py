"""The poller's runtime state, kept in AppContext.poll between polls: backoffs, the followers it last found,
and how its reads stand (for /healthz and the staff's statistics)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.alerts.subscribers import FollowedClass, Recipient
    from storage.followers import Counters
    from storage.links import Link

MAX_BACKOFF = timedelta(minutes=30)
# Reading nothing for this many poll intervals (and at least STALE_MIN) is worth a warning: backoffs alone
# could hide an e-diary that stopped answering for good.
STALE_INTERVALS = 6
STALE_MIN = timedelta(minutes=10)


@dataclass
class Backoff:
    """Consecutive failures of one read (a class, or a student in per-student mode) and when to try again."""

    failures: int = 0
    retry_at: datetime | None = None
    failing_since: datetime | None = None

    def ready(self, now: datetime) -> bool:
        return self.retry_at is None or now >= self.retry_at

    def failed(self, now: datetime, interval: timedelta) -> timedelta:
        self.failures += 1
        self.failing_since = self.failing_since or now
        delay = min(interval * 2 ** min(self.failures, 10), max(MAX_BACKOFF, interval))
        self.retry_at = now + delay
        return delay


@dataclass(frozen=True, slots=True)
class PollError:
    at: datetime
    scope: str  # what could not be read: a class, "<class>/<student id>", or "" the followers lookup
    error: str  # the exception's type name (never its message: it may carry personal data)


@dataclass
class PollState:
    backoffs: dict[str, Backoff] = field(default_factory=dict)  # by scope ("" the followers lookup)
    # the followers the last poll found, with the links counter they were built at (reused while links are unchanged)
    followed: tuple[int, dict[str, FollowedClass]] | None = None
    # every link with its recipient, as of the change counters (read again when they move)
    accounts: tuple[Counters, list[tuple[Link, Recipient | None]]] | None = None
    read_at: dict[str, datetime] = field(default_factory=dict)  # scope -> its last complete read
    # the end of the last round in which the e-diary answered: the followers lookup and at least one due read
    # succeeded (or no read was due)
    last_success: datetime | None = None
    last_error: PollError | None = None
    stale: set[str] = field(default_factory=set)  # scopes already warned about as reading nothing
    # the lease's term and scope -> its followed students, as the stored records were last trimmed to (None: not
    # yet since start)
    trimmed_to: tuple[int, dict[str, frozenset[str]]] | None = None

    def silent_since(self, scope: str) -> datetime | None:
        """Since when nothing was read for `scope` (its last read, else its first failure); None: not failing."""
        backoff = self.backoffs.get(scope)
        if backoff is None or not backoff.failures:
            return None
        return self.read_at.get(scope) or backoff.failing_since


def stale_after(interval: timedelta) -> timedelta:
    return max(interval * STALE_INTERVALS, STALE_MIN)
