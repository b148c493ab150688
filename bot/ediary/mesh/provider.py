"""MeshBase: what both modes share (token, client, session, caches); school.py and family.py hold the
reads of each mode, and `connect` (in __init__) opens the one the token's profile calls for."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.ediary.cached import ProviderCache
from bot.ediary.mesh.fields import FieldProblems
from bot.ediary.mesh.session import Mode, Session
from bot.ediary.model import AuthStatus, Capabilities, EdiaryMessage
from bot.ediary.provider import NotSupported

if TYPE_CHECKING:
    from bot.ediary.mesh.client import MeshClient
    from bot.ediary.mesh.token import TokenKeeper

REFERENCE_TTL = timedelta(hours=1)  # groups, students, teachers, periods, subjects, the family profile


class MeshBase:
    name = "mesh"
    mode: Mode

    def __init__(
        self, client: MeshClient, keeper: TokenKeeper, session: Session, clock: Clock, problems: FieldProblems
    ) -> None:
        self.client = client
        self.keeper = keeper
        self.session = session
        self.clock = clock
        self.tz = clock.tz
        self.cache = ProviderCache(clock, ttl=REFERENCE_TTL)
        self.problems = problems

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(substitutions=True, messaging=False, final_marks=True, class_reads=self.mode is Mode.SCHOOL)

    def auth_status(self) -> AuthStatus:
        return self.keeper.status()

    async def send_message(self, sender_id: str, recipient_id: str, student_id: str | None, text: str) -> EdiaryMessage:
        raise NotSupported("МЭШ has no messaging the bot can use")

    async def close(self) -> None:
        await self.client.close()

    def _class_reads_only(self, what: str) -> NotSupported:
        return NotSupported(
            f"МЭШ {what}: this token reads only its own children (profile type {self.session.profile.type}); "
            "read per student (student_schedule) or give the bot a staff account's token"
        )
