"""What a feature adds to the app besides its Router: commands for the menu and /help, scheduler jobs,
long-running tasks, cross-feature event listeners and startup work. bot/app.py lists every feature once;
nothing registers itself by being imported."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.context import AppContext

JobFunc = Callable[["AppContext"], Coroutine[Any, Any, object]]
TaskFunc = Callable[["AppContext"], Coroutine[Any, Any, None]]
LinkedListener = Callable[["AppContext", int, str, str], Awaitable[None]]
ForgetListener = Callable[["AppContext", int], Awaitable[None]]
StartupHook = Callable[["AppContext"], Awaitable[None]]


class Audience(StrEnum):
    """Who a command is for, in the menu and in /help."""

    EVERYONE = "everyone"
    FAMILY = "family"  # students and parents
    TEACHERS = "teachers"
    LINKED = "linked"  # anyone linked
    INVITERS = "inviters"  # admins and homeroom teachers
    ADMINS = "admins"  # the school's admins (ADMIN_IDS)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str  # an English msgid, translated per language (mark it with N_)
    audience: Audience = Audience.EVERYONE
    in_menu: bool = True  # listed in Telegram's command menu (setMyCommands); /help lists every command
    for_teachers: str | None = None  # the description a teacher (with no child linked) reads in /help instead

    def description_for(self, audiences: frozenset[Audience]) -> str:
        """The msgid /help shows this account: a teacher's own words where the command means something else
        to them (/message writes to parents there)."""
        teacher_only = Audience.TEACHERS in audiences and Audience.FAMILY not in audiences
        return self.for_teachers if teacher_only and self.for_teachers else self.description


@dataclass(frozen=True, slots=True)
class Job:
    """A recurring scheduler job; `every(settings)` is its period in seconds."""

    name: str
    func: JobFunc
    every: Callable[[Settings], float]


@dataclass(frozen=True, slots=True)
class Task:
    """A long-running loop beside the scheduler (the outbox sender), cancelled at shutdown."""

    name: str
    func: TaskFunc


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    commands: tuple[Command, ...] = ()
    jobs: tuple[Job, ...] = ()
    tasks: tuple[Task, ...] = ()
    on_person_linked: tuple[LinkedListener, ...] = ()  # (ctx, user id, person id, role)
    on_user_forgotten: tuple[ForgetListener, ...] = ()  # inside the /forget transaction: erase this feature's data
    on_startup: tuple[StartupHook, ...] = ()  # after the database and the e-diary are open


class Events:
    """Cross-feature events without cross-feature imports: linking announces, the listening features act."""

    def __init__(self, features: tuple[Feature, ...] = ()) -> None:
        self._linked = [listener for f in features for listener in f.on_person_linked]
        self._forgotten = [listener for f in features for listener in f.on_user_forgotten]

    async def person_linked(self, ctx: AppContext, user_id: int, person_id: str, role: str) -> None:
        for listener in self._linked:
            await listener(ctx, user_id, person_id, role)

    async def user_forgotten(self, ctx: AppContext, user_id: int) -> None:
        for listener in self._forgotten:
            await listener(ctx, user_id)
