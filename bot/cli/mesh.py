"""`ediary-bot mesh check`: what the МЭШ token is and which endpoints answer it.

Prints the host, the token's expiry (and whether it can be renewed), the profiles of the token, the one the bot
acts as with its roles, the mode (school / per-student) and a table of the endpoints the mode needs. Exit code 0
when every needed endpoint answers, 1 otherwise, 2 for bad settings. bot/cli.py calls `register(subparsers)`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.cli.support import command_clock, fail, load
from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.mesh import MeshProvider, connect, keeper_for
from bot.ediary.mesh.family import FamilyProvider
from bot.ediary.mesh.school import SchoolProvider
from bot.ediary.mesh.session import Mode
from bot.ediary.mesh.token import TokenKeeper
from bot.ediary.provider import ProviderAuthError, ProviderError


def register(subparsers: argparse._SubParsersAction) -> None:
    mesh = subparsers.add_parser("mesh", help="the МЭШ-platform e-diary (school.mos.ru, authedu.mosreg.ru, regions)")
    mesh.set_defaults(func=lambda args: fail("mesh: choose a command (see ediary-bot mesh --help)"))
    commands = mesh.add_subparsers(dest="mesh_command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="show the token's profile, roles, mode and expiry, and which endpoints answer",
        description="Exit code 0 when every endpoint the mode needs answers, 1 otherwise.",
    )
    check.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    try:
        settings = load(args)  # tests may hand settings in as args.settings
    except SettingsError as exc:
        return fail(str(exc))
    if settings.mesh_token is None:
        return fail("MESH_TOKEN is not set (see .env.example): the token copied from a signed-in browser")
    return asyncio.run(run_check(settings, command_clock(args, settings)))


@dataclass(frozen=True, slots=True)
class Probe:
    endpoint: str
    needed: bool
    call: Callable[[], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Outcome:
    endpoint: str
    needed: bool
    status: str  # "OK", "forbidden" or "error: ..."

    @property
    def ok(self) -> bool:
        return self.status == "OK"


async def run_check(settings: Settings, clock: Clock) -> int:
    assert settings.mesh_token is not None  # _check made sure
    refresh = settings.mesh_refresh_token.get_secret_value() if settings.mesh_refresh_token else None
    token = settings.mesh_token.get_secret_value()
    keeper = keeper_for(settings.mesh_api_url, token, refresh, clock, settings.data_dir)
    print(f"host:     {settings.mesh_api_url}")
    try:
        provider = await connect(
            settings.mesh_api_url,
            keeper,
            clock,
            profile_id=settings.mesh_profile_id,
            max_concurrency=settings.mesh_max_concurrency,
        )
    except ProviderError as exc:
        print(_token_line(keeper, clock.now()))
        print("profile:  unknown")
        if str(exc) != keeper.status().problem:  # a token problem is on the token line already
            print(f"problem:  {exc}")
        return 1
    try:
        outcomes = [await _run(probe) for probe in _probes(provider, clock)]
    finally:
        await provider.close()
    session = provider.session
    print(_token_line(keeper, clock.now()))
    print(f"profiles: {', '.join(f'{p.id} ({p.type})' for p in session.profiles)}")
    print(f"profile:  {session.profile.id} ({session.profile.type})")
    print(f"roles:    {', '.join(session.profile.roles) or session.profile.type}")
    if session.mode is Mode.SCHOOL:
        print("mode:     school (a staff profile: class-level reads through the teacher API)")
    else:
        print("mode:     per-student (a family profile: only its own children, class-level reads unsupported)")
    print(_table(outcomes))
    return 0 if all(o.ok for o in outcomes if o.needed) else 1


def _token_line(keeper: TokenKeeper, now: datetime) -> str:
    expires = keeper.expires_at
    renew = "can be refreshed" if keeper.refreshable else "cannot be refreshed (no MESH_REFRESH_TOKEN)"
    if expires is None:
        line = f"token:    no expiry in it ({keeper.source}); {renew}"
    else:
        left = expires - now
        when = "expired" if left <= timedelta(0) else f"in {_duration(left)}"
        line = f"token:    expires {expires:%Y-%m-%d %H:%M} UTC ({when}; {keeper.source}); {renew}"
    problem = keeper.status().problem  # what the admins' notice says
    return line + (f"\nproblem:  {problem}" if problem else "")


def _duration(left: timedelta) -> str:
    hours = int(left.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h {int(left.total_seconds() // 60) % 60} min"


def _probes(provider: MeshProvider, clock: Clock) -> list[Probe]:
    today = clock.today()
    week, fortnight = today + timedelta(days=6), today - timedelta(days=14)
    if isinstance(provider, SchoolProvider):
        school = provider

        async def first_class() -> str:
            classes = await school.list_classes()
            if not classes:
                raise ProviderError("no classes in the groups")
            return classes[0]

        async def year() -> object:
            found = await school.year()
            if not found.from_api:
                raise ProviderError(f"no current year in the answer; taken from the date (id {found.id})")
            return found

        return [
            Probe("academic_years", False, year),
            Probe("groups (classes, subjects)", True, school.list_classes),
            Probe("student_profiles", True, lambda: _then(first_class, school.class_students)),
            Probe("teacher_profiles", False, school.staff),
            Probe("schedule_items", True, lambda: _then(first_class, lambda c: school.class_lessons(c, today, week))),
            Probe("marks", True, lambda: _then(first_class, lambda c: school.class_grades(c, fortnight, today))),
            Probe("homeworks", True, lambda: _then(first_class, lambda c: school.class_homework(c, today, week))),
            Probe("attestation_periods_schedules", False, school.periods),
        ]
    assert isinstance(provider, FamilyProvider)
    family = provider

    async def first_child() -> str:
        children = (await family.family()).children
        if not children:
            raise ProviderError("the family profile has no children")
        return children[0].student.id

    return [
        Probe("family profile (children)", True, family.family),
        Probe("events (lessons, homework, marks)", True, lambda: _then(first_child, _schedule(family, today, week))),
        Probe("marks", True, lambda: _then(first_child, lambda s: family.student_grades(s, fortnight, today))),
        Probe("subjects", False, lambda: _then(first_child, _subjects(family))),
        Probe("subject_marks (periods, finals)", False, lambda: _then(first_child, family.final_marks)),
    ]


def _schedule(family: FamilyProvider, start: date, end: date) -> Callable[[str], Awaitable[object]]:
    return lambda student_id: family.student_schedule(student_id, start, end)


def _subjects(family: FamilyProvider) -> Callable[[str], Awaitable[object]]:
    async def read(student_id: str) -> object:
        student = await family.get_student(student_id)
        return await family.class_subjects(student.class_name) if student else []

    return read


async def _then(first: Callable[[], Awaitable[str]], then: Callable[[str], Awaitable[object]]) -> object:
    return await then(await first())


async def _run(probe: Probe) -> Outcome:
    try:
        await probe.call()
    except ProviderAuthError as exc:
        status = "forbidden" if exc.missing_scope else f"error: {exc}"
    except ProviderError as exc:
        status = f"error: {exc}"
    else:
        status = "OK"
    return Outcome(probe.endpoint, probe.needed, status)


def _table(outcomes: list[Outcome]) -> str:
    width = max(len("ENDPOINT"), *(len(o.endpoint) for o in outcomes))
    lines = [f"{'ENDPOINT':<{width}}  NEEDED  STATUS"]
    lines += [f"{o.endpoint:<{width}}  {'yes' if o.needed else 'no ':<6}  {o.status}" for o in outcomes]
    return "\n".join(lines)
