"""What the running app holds, with a typed field for each piece of runtime state. Handlers receive it as
`ctx` (and never its parts beside it); scheduler jobs, which have no update and no `_()`, receive it too.

bot/app.py builds it (`new_context`): the composition root knows every feature's state type, so this module
imports them for type checking only and stays below the features."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.observability.metrics import Metrics

if TYPE_CHECKING:
    from aiogram import Bot
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.alerts.state import PollState
    from bot.clock import Clock
    from bot.config import Settings
    from bot.delivery.lease import LeaseState
    from bot.delivery.sender import DeliveryState
    from bot.ediary.cached import CachedProvider, ProviderCache
    from bot.ediary.provider import EdiaryProvider
    from bot.features import Command, Events
    from bot.i18n import PoI18n
    from storage.db import Database


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    i18n: PoI18n
    events: Events
    commands: tuple[Command, ...]  # every feature's commands, for the menu and /help
    delivery: DeliveryState  # the outbox sender's throttle, wake-up and stop flag
    lease: LeaseState  # whether this instance is the one that polls and sends
    provider_cache: ProviderCache  # short-lived e-diary answers shared by every user's views
    poll: PollState  # per-class backoffs and the followers the last poll found
    db: Database | None = None  # opened in the startup hook, closed at shutdown
    provider: EdiaryProvider | None = None
    bot: Bot | None = None
    scheduler: AsyncIOScheduler | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)  # the features' long-running loops
    ediary_messages_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one e-diary messaging pass at a time
    updates_in_flight: set[asyncio.Task[Any]] = field(default_factory=set)  # being handled: a stop waits for them
    metrics: Metrics = field(default_factory=Metrics)  # this app's own Prometheus registry
    started_at: datetime | None = None  # when the startup hook finished (health: a poll is not overdue yet)
    _reader: CachedProvider | None = field(default=None, repr=False)

    def gettext(self, singular: str, plural: str | None = None, n: int = 1, *, locale: str) -> str:
        """Like aiogram's gettext, for jobs: the locale is always explicit."""
        return self.i18n.gettext(singular, plural, n=n, locale=locale)

    @property
    def database(self) -> Database:
        """The open database (a job or handler runs only between startup and shutdown)."""
        if self.db is None:
            raise RuntimeError("the database is not open")
        return self.db

    @property
    def reader(self) -> CachedProvider:
        """The e-diary read through the app's short-lived cache (views; the poller reads fresh)."""
        from bot.ediary.cached import CachedProvider

        provider = self.ediary
        kept = self._reader
        if kept is None or kept.provider is not provider:  # made once per provider (a reopened one gets its own)
            kept = self._reader = CachedProvider(provider, self.provider_cache)
        return kept

    @property
    def ediary(self) -> EdiaryProvider:
        """The open e-diary provider."""
        if self.provider is None:
            raise RuntimeError("the e-diary provider is not open")
        return self.provider
