"""E-diary providers behind one protocol (provider.py); `open_provider` picks the configured one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.config import Settings
    from bot.ediary.provider import EdiaryProvider


async def open_provider(settings: Settings, clock: Clock) -> EdiaryProvider:
    """The provider named by EDIARY_PROVIDER, opened and ready; the caller closes it."""
    # imported here so that importing bot.ediary.model stays light
    from bot.config import SettingsError

    if settings.ediary_provider == "demo":
        from bot.ediary.demo import DemoProvider

        return await DemoProvider.open(settings.demo_database_path, clock, per_student=settings.demo_per_student)
    if settings.ediary_provider == "dnevnik":
        from bot.ediary.dnevnik import open_dnevnik

        return await open_dnevnik(settings, clock)
    if settings.ediary_provider == "mesh":
        from bot.ediary.mesh import open_mesh

        return await open_mesh(settings, clock)
    raise SettingsError(f"EDIARY_PROVIDER is invalid: unknown provider {settings.ediary_provider!r}")
