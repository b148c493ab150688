"""Through which day a code works: the whole last day, as the card prints it (until local midnight after it)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from babel.dates import format_date


def expiry_for(now: datetime, ttl_days: int, tz: tzinfo) -> datetime:
    """When a code issued `now` stops working: local midnight after its last day."""
    last_day = now.astimezone(tz).date() + timedelta(days=ttl_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)


def last_valid_day(expires_at: datetime, tz: tzinfo) -> date:
    return (expires_at - timedelta(seconds=1)).astimezone(tz).date()


def valid_through(expires_at: datetime, tz: tzinfo, locale: str) -> str:
    """The last day spelled out for people: '9 декабря 2026 г.' / 'December 9, 2026'."""
    return format_date(last_valid_day(expires_at, tz), format="long", locale=locale)
