"""What /events calls: the coming events that concern the account (audience.py), a page of whole days at a
time. The e-diary's answer is shared through the app's short cache; the account's scope is read fresh."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from bot.context import AppContext
from bot.ediary.model import SchoolEvent
from bot.ediary.provider import events_source
from bot.events.audience import Scope, scope_of
from bot.events.render import event_day, local_start, still_ahead
from storage import links as links_repo

HORIZON_DAYS = 60  # how far ahead the list looks
LOOKBACK_DAYS = 100  # a break that began this long ago may still be on (the summer's is the longest)
EVENTS_PER_PAGE = 8  # a page holds whole days, up to this many events (a busier day gets a page of its own)


class Refusal(Enum):
    NOT_LINKED = "not_linked"
    NOT_SUPPORTED = "not_supported"  # this e-diary gives no events


@dataclass(frozen=True, slots=True)
class EventsPage:
    days: list[tuple[date, list[SchoolEvent]]]
    scope: Scope
    page: int
    pages: int
    today: date


async def coming_events(ctx: AppContext, user_id: int, page: int) -> EventsPage | Refusal:
    """Raises ProviderError when the e-diary does not answer."""
    links = await links_repo.links_of_user(ctx.database, user_id)
    if not links:
        return Refusal.NOT_LINKED
    source = events_source(ctx.ediary)
    if source is None:
        return Refusal.NOT_SUPPORTED
    tz = ctx.settings.tz
    now = ctx.clock.now().astimezone(tz).replace(tzinfo=None)
    start, end = now.date() - timedelta(days=LOOKBACK_DAYS), now.date() + timedelta(days=HORIZON_DAYS)
    events = await ctx.provider_cache.get(("school_events", start, end), lambda: source.school_events(start, end))
    scope = await scope_of(ctx.reader, links)
    mine = sorted(
        (e for e in events if scope.concerns(e) and still_ahead(e, tz, now)),
        key=lambda e: (local_start(e, tz), e.id),
    )
    by_day: dict[date, list[SchoolEvent]] = {}
    for event in mine:  # an event that began earlier and is still on is listed under today
        by_day.setdefault(max(event_day(event, tz), now.date()), []).append(event)
    pages = _paginate(list(by_day.items()))
    page = min(max(page, 0), max(len(pages) - 1, 0))
    return EventsPage(pages[page] if pages else [], scope, page, max(len(pages), 1), now.date())


def _paginate(days: list[tuple[date, list[SchoolEvent]]]) -> list[list[tuple[date, list[SchoolEvent]]]]:
    pages: list[list[tuple[date, list[SchoolEvent]]]] = []
    count = math.inf
    for day, events in days:
        if count + len(events) > EVENTS_PER_PAGE:
            pages.append([])
            count = 0
        pages[-1].append((day, events))
        count += len(events)
    return pages
