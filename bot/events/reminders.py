"""Event reminders (a minute job, on the lease holder only): the day before an event, at the account's reminder
time, and on its morning (MORNING, or when the account's quiet hours end), to everyone it concerns
(audience.py), each once (storage/event_reminders.py, and the outbox's dedupe key).

Like the other alerts: quiet hours defer a reminder (the outbox's not_before), never drop it; an evening
reminder that quiet hours push into the event's own day is the morning one as well, so only one arrives. In
digest mode (one message a day) the day-before reminder comes at the digest time instead, and the morning
one only for an event that was not reminded the day before. An event added after the moment has passed is
reminded at once; a morning reminder that could only arrive after the event began is not sent.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.context import AppContext
from bot.delivery.queue import queue_as_lease_holder, queue_message
from bot.ediary.model import SchoolEvent
from bot.ediary.provider import ProviderError, events_source
from bot.events.audience import Scope, scope_of
from bot.events.render import event_day, is_all_day, local_start, reminder_text
from bot.i18n import pick_locale
from bot.ui import Translator
from storage import event_reminders as sent_repo
from storage import links as links_repo
from storage import users as users_repo
from storage.links import Link
from storage.preferences import Preferences, get_preferences

log = logging.getLogger(__name__)

MORNING = time(7, 30)
EVE, ON_THE_DAY = "eve", "morning"
SCOPE_TTL = timedelta(minutes=30)  # whom an account follows changes rarely; a new link is a new cache key


@dataclass(frozen=True, slots=True)
class Moment:
    """One reminder run's view of the time (read once)."""

    now: datetime  # aware
    local: datetime  # school-local, naive

    @property
    def today(self) -> date:
        return self.local.date()

    @property
    def tomorrow(self) -> date:
        return self.today + timedelta(days=1)


async def reminders_job(ctx: AppContext) -> int:
    return await queue_as_lease_holder(ctx, queue_due_reminders)


async def queue_due_reminders(ctx: AppContext, now: datetime) -> int:
    """Queue every event reminder due now; returns how many messages were queued."""
    source = events_source(ctx.ediary)
    if source is None:
        return 0
    tz = ctx.settings.tz
    moment = Moment(now, now.astimezone(tz).replace(tzinfo=None))
    await sent_repo.prune(ctx.database, before=moment.today)
    try:
        events = await source.school_events(moment.today, moment.tomorrow)
    except ProviderError as exc:
        log.warning("events: reminders postponed, the e-diary did not answer (%s)", type(exc).__name__)
        return 0
    events = sorted(
        (e for e in events if event_day(e, tz) in (moment.today, moment.tomorrow)),
        key=lambda e: (local_start(e, tz), e.id),
    )
    if not events:
        return 0
    by_user: dict[int, list[Link]] = {}
    for link in await links_repo.all_links(ctx.database):
        by_user.setdefault(link.user_id, []).append(link)
    queued = 0
    for user_id, links in by_user.items():
        try:
            queued += await _remind(ctx, user_id, links, events, moment)
        except ProviderError as exc:
            log.warning("events: reminders postponed, the e-diary did not answer (%s)", type(exc).__name__)
            break
    if queued:
        log.info("events: %d reminder message(s) queued", queued)
    return queued


async def _remind(ctx: AppContext, user_id: int, links: list[Link], events: list[SchoolEvent], at: Moment) -> int:
    db, tz = ctx.database, ctx.settings.tz
    prefs = await get_preferences(db, user_id)
    eve_due = at.local.time() >= (prefs.digest_time if prefs.digest_mode else prefs.reminder_time)
    if not eve_due and at.local.time() < MORNING:
        return 0  # nothing can be due yet: no e-diary reads for this account
    user = await users_repo.get_user(db, user_id)
    if user is None or not user.is_active:
        return 0  # blocked the bot: reminded again only about what is still ahead when it comes back
    sent = await sent_repo.sent_reminders(db, user_id, (at.today, at.tomorrow))
    eve = [e for e in events if eve_due and event_day(e, tz) == at.tomorrow and (e.id, at.tomorrow, EVE) not in sent]
    morning = [
        e
        for e in events
        if at.local.time() >= MORNING
        and event_day(e, tz) == at.today
        and not is_all_day(e, tz)
        and local_start(e, tz) > at.local
        and (e.id, at.today, ON_THE_DAY) not in sent
        and not (prefs.digest_mode and (e.id, at.today, EVE) in sent)
    ]
    if not eve and not morning:
        return 0
    scope = await _scope(ctx, links)
    eve = [e for e in eve if scope.concerns(e)]
    morning = [e for e in morning if scope.concerns(e)]
    t = Translator(ctx.i18n, pick_locale(user.language, user.telegram_language))
    arrives = prefs.deliver_after(at.now, tz).astimezone(tz).replace(tzinfo=None)
    queued = 0
    morning = [e for e in morning if local_start(e, tz) > arrives]  # after the start it is no reminder
    if morning:  # the more urgent first
        queued += await _queue(ctx, user_id, prefs, t, scope, morning, at.today, (ON_THE_DAY,), at, says_today=True)
    on_the_day = arrives.date() >= at.tomorrow  # quiet hours defer the evening's reminder into the event's day
    if on_the_day:  # then it is that morning's reminder too, says "today", and leaves out what began before it
        eve = [e for e in eve if is_all_day(e, tz) or local_start(e, tz) > arrives]
    if eve:
        moments = (EVE, ON_THE_DAY) if on_the_day else (EVE,)
        queued += await _queue(ctx, user_id, prefs, t, scope, eve, at.tomorrow, moments, at, says_today=on_the_day)
    return queued


async def _scope(ctx: AppContext, links: list[Link]) -> Scope:
    key = ("events.scope", tuple(links))
    return await ctx.provider_cache.get(key, lambda: scope_of(ctx.reader, links), ttl=SCOPE_TTL)


async def _queue(
    ctx: AppContext,
    user_id: int,
    prefs: Preferences,
    t: Translator,
    scope: Scope,
    events: list[SchoolEvent],
    day: date,
    moments: tuple[str, ...],
    at: Moment,
    *,
    says_today: bool,
) -> int:
    db = ctx.database
    today = day if says_today else at.today
    text = reminder_text(t, events, scope, ctx.settings.tz, day=day, today=today)
    ids = hashlib.sha256("|".join(e.id for e in events).encode()).hexdigest()[:16]
    async with db.transaction():
        for event in events:
            for moment in moments:
                await sent_repo.mark_sent(db, user_id, event.id, day, moment, at.now)
        return await queue_message(
            ctx,
            user_id,
            prefs,
            kind="event",
            text=text,
            now=at.now,
            dedupe_key=f"event:{moments[0]}:{user_id}:{day.isoformat()}:{ids}",
        )
