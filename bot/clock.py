"""Time is injected everywhere: production uses SystemClock, tests a ManualClock they move by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    tz: tzinfo

    def now(self) -> datetime:
        """Aware current time in UTC."""
        ...

    def local_now(self) -> datetime: ...

    def today(self) -> date:
        """Today's date in the school's timezone."""
        ...


class _ClockBase:
    tz: tzinfo

    def now(self) -> datetime:  # pragma: no cover - overridden
        raise NotImplementedError

    def local_now(self) -> datetime:
        return self.now().astimezone(self.tz)

    def today(self) -> date:
        return self.local_now().date()


class SystemClock(_ClockBase):
    def __init__(self, tz: tzinfo | str = "Europe/Moscow") -> None:
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock(_ClockBase):
    """A clock that only moves when told to."""

    def __init__(self, start: datetime, tz: tzinfo | str = "Europe/Moscow") -> None:
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        if start.tzinfo is None:
            start = start.replace(tzinfo=self.tz)
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> None:
        self._now += delta if delta is not None else timedelta(**kwargs)
