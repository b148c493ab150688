"""The МЭШ-platform e-diary (school.mos.ru, authedu.mosreg.ru and the regions on the same stack).

There is no official integrator API: the bot uses a token that a person copied from a signed-in browser (never
a password, never an automated mos.ru or Госуслуги login). What the token's profile is decides the mode: a
staff profile reads the teacher API class by class (school mode), a parent's or pupil's profile reads its own
children only (per-student mode). Modules: token (JWT expiry, renewal, storage), client (HTTP), session (profile,
mode, academic year), fields/mapping (JSON -> model), school_directory/school and family (the two modes), and
connection (what the bot holds: the mode's provider, opened when the e-diary lets it, and the admins' status).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from bot.ediary.mesh.client import MeshClient
from bot.ediary.mesh.connection import MeshConnection
from bot.ediary.mesh.family import FamilyProvider
from bot.ediary.mesh.fields import FieldProblems
from bot.ediary.mesh.school import SchoolProvider
from bot.ediary.mesh.session import Mode, open_session
from bot.ediary.mesh.token import REFRESH_AHEAD, TOKEN_FILE, TokenKeeper, TokenPair, TokenStore

if TYPE_CHECKING:
    from datetime import timedelta

    from bot.clock import Clock
    from bot.config import Settings

# the provider of either mode: both implement the whole EdiaryProvider protocol
MeshProvider: TypeAlias = SchoolProvider | FamilyProvider

__all__ = ["FamilyProvider", "MeshConnection", "MeshProvider", "SchoolProvider", "connect", "keeper_for", "open_mesh"]


def keeper_for(
    base_url: str,
    token: str,
    refresh_token: str | None,
    clock: Clock,
    data_dir: Path | None,
    refresh_ahead: timedelta = REFRESH_AHEAD,
) -> TokenKeeper:
    store = TokenStore(data_dir / TOKEN_FILE) if data_dir is not None else None
    return TokenKeeper(TokenPair(token, refresh_token), store, clock, host=base_url, refresh_ahead=refresh_ahead)


async def connect(
    base_url: str,
    keeper: TokenKeeper,
    clock: Clock,
    *,
    profile_id: str | None = None,
    max_concurrency: int = 8,
    per_page: int = 500,
    backoff: float = 0.5,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> MeshProvider:
    """Reads the token's profiles and opens the provider of the mode they call for; the caller closes it."""
    client = MeshClient(
        base_url, keeper, max_concurrency=max_concurrency, per_page=per_page, backoff=backoff, sleep=sleep
    )
    try:
        problems = FieldProblems()
        session = await open_session(client, profile_id, problems)
        provider_class = SchoolProvider if session.mode is Mode.SCHOOL else FamilyProvider
        return provider_class(client, keeper, session, clock, problems)
    except BaseException:
        await client.close()
        raise


async def open_mesh(settings: Settings, clock: Clock) -> MeshConnection:
    """The provider EDIARY_PROVIDER=mesh asks for, from the MESH_* settings. A token or host that does not work
    yet does not stop the bot: the connection says why in auth_status() and tries again at the next read."""
    from bot.config import SettingsError

    if settings.mesh_token is None:
        raise SettingsError("MESH_TOKEN is not set (see .env.example): the token copied from a signed-in browser")
    refresh = settings.mesh_refresh_token.get_secret_value() if settings.mesh_refresh_token else None
    keeper = keeper_for(
        settings.mesh_api_url, settings.mesh_token.get_secret_value(), refresh, clock, settings.data_dir
    )

    def opener() -> Awaitable[MeshProvider]:
        return connect(
            settings.mesh_api_url,
            keeper,
            clock,
            profile_id=settings.mesh_profile_id,
            max_concurrency=settings.mesh_max_concurrency,
        )

    connection = MeshConnection(keeper, opener)
    await connection.try_open()
    return connection
