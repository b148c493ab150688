"""Opening a MeshProvider (or the bot's MeshConnection) on a MeshFakeServer, for the provider tests."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.ediary.mesh import MeshConnection, MeshProvider, connect, keeper_for
from bot.ediary.mesh.token import REFRESH_AHEAD
from tests.fakes.mesh_server import MeshFakeServer


class RecordedSleep:
    """Stands in for asyncio.sleep in the client's retries: records each delay and yields once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


async def open_on(
    fake: MeshFakeServer,
    clock: Clock,
    *,
    token: str | None = None,
    refresh_token: str | None = None,
    data_dir: Path | None = None,
    refresh_ahead: timedelta = REFRESH_AHEAD,
    **options: Any,
) -> MeshProvider:
    """A provider on the fake; the staff token (school mode) unless `token` says otherwise."""
    keeper = keeper_for(fake.url, token or fake.staff_token, refresh_token, clock, data_dir, refresh_ahead)
    options.setdefault("sleep", RecordedSleep())
    return await connect(fake.url, keeper, clock, **options)


def connection_on(
    fake: MeshFakeServer,
    clock: Clock,
    *,
    token: str | None = None,
    refresh_token: str | None = None,
    profile_id: str | None = None,
    url: str | None = None,
) -> MeshConnection:
    """What open_mesh gives the bot, not opened yet, with the client's retry pauses recorded instead of slept."""
    keeper = keeper_for(url or fake.url, token or fake.staff_token, refresh_token, clock, None)
    sleep = RecordedSleep()
    return MeshConnection(
        keeper, lambda: connect(url or fake.url, keeper, clock, profile_id=profile_id, sleep=sleep, backoff=0.01)
    )
