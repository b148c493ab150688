"""What the running app holds: handed to scheduler jobs, which have no update (and no `_()`) at hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiogram import Bot
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.clock import Clock
    from bot.config import Settings
    from bot.ediary.provider import EdiaryProvider
    from bot.i18n import PoI18n
    from storage.db import Database


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    i18n: PoI18n
    db: Database | None = None
    provider: EdiaryProvider | None = None
    bot: Bot | None = None
    scheduler: AsyncIOScheduler | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # per-feature runtime state (caches, leases)

    def gettext(self, singular: str, plural: str | None = None, n: int = 1, *, locale: str) -> str:
        """Like aiogram's gettext, for jobs: the locale is always explicit."""
        return self.i18n.gettext(singular, plural, n=n, locale=locale)
