"""What the admins' notices read from the МЭШ provider (`auth_status()`, no I/O): the JWT's expiry, whether the
provider can renew it, and a problem that says what to do. The bot's connection opens when the e-diary lets it,
so an expired token, a 403 host or a host that is down never stop the bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock, SystemClock
from bot.config import load_settings
from bot.ediary.mesh import MeshConnection, open_mesh
from bot.ediary.mesh.token import jwt_expiry
from bot.ediary.provider import EdiaryProvider, ProviderAuthError, ProviderUnavailable
from tests.fakes.mesh.connect import connection_on
from tests.fakes.mesh_server import ACL, MARKS, REFRESH, MeshFakeServer

MONDAY, FRIDAY = date(2026, 11, 23), date(2026, 11, 27)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[MeshFakeServer]:
    async with MeshFakeServer(now=clock.now) as server:
        yield server


@pytest.fixture
async def connection(fake: MeshFakeServer, clock: ManualClock) -> AsyncIterator[MeshConnection]:
    mesh = connection_on(fake, clock)
    yield mesh
    await mesh.close()


def what_to_do(problem: str | None, fake: MeshFakeServer) -> str:
    """The problem, checked to say what an admin does and to hold no secret."""
    assert problem is not None
    assert fake.staff_token not in problem and fake.family_token not in problem
    return problem


async def test_a_working_token_reports_its_expiry_and_no_problem(
    connection: MeshConnection, fake: MeshFakeServer, clock: ManualClock
) -> None:
    assert isinstance(connection, EdiaryProvider)
    await connection.open()
    status = connection.auth_status()
    assert status.expires_at == jwt_expiry(fake.staff_token) == clock.now() + timedelta(hours=24)
    assert (status.refreshable, status.problem) == (False, None)  # no MESH_REFRESH_TOKEN: the admins renew it


async def test_a_token_with_a_refresh_token_renews_itself(fake: MeshFakeServer, clock: ManualClock) -> None:
    mesh = connection_on(fake, clock, refresh_token=fake.staff_refresh_token)
    try:
        assert mesh.auth_status().refreshable is True
        clock.advance(hours=23, minutes=30)  # within the hour before expiry: the next read renews it
        await mesh.list_classes()
        status = mesh.auth_status()
        assert fake.refreshes == 1 and status.refreshable is True and status.problem is None
        assert status.expires_at == clock.now() + timedelta(hours=24)  # the renewed token's own expiry
    finally:
        await mesh.close()


async def test_an_expired_token_is_a_problem_before_any_request(
    connection: MeshConnection, fake: MeshFakeServer, clock: ManualClock
) -> None:
    await connection.open()
    clock.advance(hours=24)
    requests = len(fake.requests)
    status = connection.auth_status()  # no read has failed yet: the JWT's exp says it
    problem = what_to_do(status.problem, fake)
    assert problem.startswith("МЭШ token expired at 2026-11-26 07:00 UTC: sign in at " + fake.url)
    assert "aupd_token" in problem and "MESH_TOKEN" in problem and "ediary-bot mesh check" in problem
    assert (status.expires_at, status.refreshable) == (clock.now(), False)
    with pytest.raises(ProviderAuthError, match="expired"):
        await connection.class_grades("7-А", MONDAY, FRIDAY)
    assert len(fake.requests) == requests  # an expired token is never sent


async def test_the_bot_starts_with_an_expired_token(fake: MeshFakeServer, tmp_path: Path) -> None:
    expired = fake.issue_token(expires_in=timedelta(minutes=-5))  # the fake's clock is the real one here
    settings = load_settings(
        _env_file=None,
        ediary_provider="mesh",
        mesh_api_url=fake.url,
        mesh_token=expired,
        mesh_refresh_token=None,
        mesh_profile_id=None,
        database_path=tmp_path / "bot.sqlite3",
    )
    mesh = await open_mesh(settings, SystemClock("Europe/Moscow"))  # the real clock: expiry is time-sensitive
    try:
        assert mesh.opened is None and not fake.requests
        status = mesh.auth_status()
        assert status.expires_at == jwt_expiry(expired) and status.refreshable is False
        assert what_to_do(status.problem, fake).startswith("МЭШ token expired at")
        assert mesh.capabilities.class_reads is False  # per-student reads suit either mode until the profile is known
        with pytest.raises(ProviderAuthError, match="MESH_TOKEN"):
            await mesh.list_classes()
    finally:
        await mesh.close()


async def test_a_refused_token_is_a_problem(connection: MeshConnection, fake: MeshFakeServer) -> None:
    await connection.open()
    fake.break_endpoint(MARKS, status=401)
    with pytest.raises(ProviderAuthError):
        await connection.class_grades("7-А", MONDAY, FRIDAY)
    problem = what_to_do(connection.auth_status().problem, fake)
    assert problem.startswith("МЭШ token was refused by 127.0.0.1:") and "(HTTP 401)" in problem


async def test_a_rejected_refresh_token_cannot_renew(fake: MeshFakeServer, clock: ManualClock) -> None:
    soon = fake.issue_token(expires_in=timedelta(minutes=30))
    mesh = connection_on(fake, clock, token=soon, refresh_token="revoked")
    try:
        await mesh.open()  # the token itself still works for half an hour
        status = mesh.auth_status()
        assert (status.expires_at, status.refreshable) == (clock.now() + timedelta(minutes=30), False)
        assert "refresh token rejected" in what_to_do(status.problem, fake)
        assert len(fake.requests_to(REFRESH)) == 1
    finally:
        await mesh.close()


async def test_a_host_answering_403_is_reported_until_it_answers(
    connection: MeshConnection, fake: MeshFakeServer
) -> None:
    fake.forbid_all = True
    with pytest.raises(ProviderAuthError):
        await connection.open()
    problem = what_to_do(connection.auth_status().problem, fake)
    assert "answers 403 to the token's own profiles" in problem and "check MESH_API_URL" in problem
    assert connection.opened is None

    fake.forbid_all = False
    assert await connection.list_classes() == ["7-А", "7-Б"]  # the next read opens
    assert connection.auth_status().problem is None


async def test_callers_waiting_for_a_failed_opening_share_its_error(
    connection: MeshConnection, fake: MeshFakeServer
) -> None:
    fake.forbid_all = True
    results = await asyncio.gather(*(connection.list_classes() for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, ProviderAuthError) for r in results)
    assert len(fake.requests_to(ACL)) == 1  # one attempt for the three, not one after another


async def test_a_forbidden_read_is_reported_until_it_works(connection: MeshConnection, fake: MeshFakeServer) -> None:
    await connection.open()
    fault = fake.break_endpoint(MARKS, status=403)
    with pytest.raises(ProviderAuthError):
        await connection.class_grades("7-А", MONDAY, FRIDAY)
    problem = what_to_do(connection.auth_status().problem, fake)
    assert problem.startswith("МЭШ marks: 127.0.0.1:") and "HTTP 403" in problem and "mesh check" in problem
    await connection.class_lessons("7-А", MONDAY, FRIDAY)  # another read working does not clear it
    assert connection.auth_status().problem == problem

    fake.faults.remove(fault)
    await connection.class_grades("7-А", MONDAY, FRIDAY)
    assert connection.auth_status().problem is None


async def test_a_host_that_moved_is_reported(fake: MeshFakeServer, clock: ManualClock) -> None:
    fake.redirect_to = "https://authedu.mosreg.ru"
    mesh = connection_on(fake, clock)
    try:
        with pytest.raises(ProviderUnavailable):
            await mesh.open()
        assert "redirects to authedu.mosreg.ru" in what_to_do(mesh.auth_status().problem, fake)
    finally:
        await mesh.close()


async def test_a_profile_the_bot_cannot_use_is_reported(fake: MeshFakeServer, clock: ManualClock) -> None:
    mesh = connection_on(fake, clock, profile_id="123")
    try:
        with pytest.raises(ProviderAuthError):
            await mesh.list_classes()
        assert "MESH_PROFILE_ID 123 is not a profile of this token" in what_to_do(mesh.auth_status().problem, fake)
    finally:
        await mesh.close()


async def test_a_host_that_is_down_is_an_outage_not_a_problem(connection: MeshConnection, fake: MeshFakeServer) -> None:
    fault = fake.break_endpoint(ACL, status=503)
    with pytest.raises(ProviderUnavailable):
        await connection.list_classes()
    assert connection.auth_status().problem is None  # the poller backs off; the admins need not act
    fake.faults.remove(fault)
    assert await connection.list_classes() == ["7-А", "7-Б"]
    assert connection.capabilities.class_reads is True


async def test_a_family_token_opens_per_student_mode(fake: MeshFakeServer, clock: ManualClock) -> None:
    mesh = connection_on(fake, clock, token=fake.family_token)
    try:
        schedule = await mesh.student_schedule("9001", MONDAY, MONDAY)
        assert schedule.class_name == "7-А" and mesh.capabilities.class_reads is False
        status = mesh.auth_status()
        assert status.expires_at == jwt_expiry(fake.family_token) and status.problem is None
    finally:
        await mesh.close()
