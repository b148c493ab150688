"""The МЭШ token: JWT expiry read without a signature check, renewal ahead of expiry (on a manual and on the
real clock), the stored pair (0600, wins while newer), expired and refused tokens."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock, SystemClock
from bot.ediary.mesh import keeper_for
from bot.ediary.mesh.token import TOKEN_FILE, TokenPair, TokenStore, jwt_claims, jwt_expiry
from bot.ediary.provider import ProviderAuthError
from tests.fakes.mesh.connect import open_on
from tests.fakes.mesh_server import ACL, GROUPS, REFRESH, MeshFakeServer, make_jwt


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 10, 0), "Europe/Moscow")


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[MeshFakeServer]:
    async with MeshFakeServer(now=clock.now) as server:
        yield server


def test_the_expiry_is_read_from_the_payload_without_a_signature_check() -> None:
    token = make_jwt({"sub": "1", "exp": 1_800_000_000})
    assert jwt_claims(token) == {"sub": "1", "exp": 1_800_000_000}
    assert jwt_expiry(token) == datetime.fromtimestamp(1_800_000_000, UTC)
    for not_a_jwt in ("abc", "a.b", "a.!!!.c", make_jwt({"exp": "soon"}), "x.WzFd.y"):
        assert jwt_expiry(not_a_jwt) is None


def test_the_stored_pair_is_private_and_wins_while_newer(tmp_path: Path, clock: ManualClock) -> None:
    store = TokenStore(tmp_path / TOKEN_FILE)
    later = TokenPair(make_jwt({"exp": int((clock.now() + timedelta(days=2)).timestamp())}), "r2")
    store.save(later, clock.now())
    assert stat.S_IMODE((tmp_path / TOKEN_FILE).stat().st_mode) == 0o600
    assert store.load() == later
    assert "r2" in (tmp_path / TOKEN_FILE).read_text() and json.loads((tmp_path / TOKEN_FILE).read_text())["token"]

    sooner = make_jwt({"exp": int((clock.now() + timedelta(days=1)).timestamp())})
    kept = keeper_for("https://school.example", sooner, None, clock, tmp_path)
    assert (kept.token, kept.source, kept.refreshable) == (later.access, "stored", True)
    newest = make_jwt({"exp": int((clock.now() + timedelta(days=3)).timestamp())})
    pasted = keeper_for("https://school.example", newest, None, clock, tmp_path)
    assert (pasted.token, pasted.source) == (newest, "setting")  # a fresh MESH_TOKEN takes over again


async def test_an_expired_token_is_an_auth_error_that_says_what_to_do(fake: MeshFakeServer, clock: ManualClock) -> None:
    expired = fake.issue_token(expires_in=timedelta(minutes=-5))
    with pytest.raises(ProviderAuthError, match=r"expired.*MESH_TOKEN"):
        await open_on(fake, clock, token=expired)
    assert fake.requests == []  # known beforehand: nothing sent


async def test_a_token_expiring_mid_session_without_a_refresh_token(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock, token=fake.issue_token(expires_in=timedelta(hours=2)))
    try:
        status = provider.auth_status()
        assert status.refreshable is False and status.problem is None
        assert status.expires_at == (clock.now() + timedelta(hours=2)).replace(microsecond=0)
        clock.advance(hours=3)
        with pytest.raises(ProviderAuthError):
            await provider.list_classes()
        problem = provider.auth_status().problem
        assert problem is not None and "expired" in problem and "mesh check" in problem
    finally:
        await provider.close()


async def test_renewed_ahead_of_expiry_and_stored(fake: MeshFakeServer, clock: ManualClock, tmp_path: Path) -> None:
    soon = fake.issue_token(expires_in=timedelta(minutes=30))
    provider = await open_on(fake, clock, token=soon, refresh_token=fake.staff_refresh_token, data_dir=tmp_path)
    try:
        assert fake.refreshes == 1 and fake.requests[0].path == REFRESH  # before the first request
        assert fake.requests[1].headers["authorization"] != f"Bearer {soon}"
        status = provider.auth_status()
        assert status.expires_at is not None and status.expires_at > clock.now() + timedelta(hours=23)
        stored = TokenStore(tmp_path / TOKEN_FILE).load()
        assert (
            stored is not None and stored.access == provider.keeper.token and stored.refresh != fake.staff_refresh_token
        )
        assert stat.S_IMODE((tmp_path / TOKEN_FILE).stat().st_mode) == 0o600
    finally:
        await provider.close()
    again = await open_on(fake, clock, token=soon, refresh_token=fake.staff_refresh_token, data_dir=tmp_path)
    try:
        assert fake.refreshes == 1 and again.keeper.source == "stored"  # the stored pair is newer
    finally:
        await again.close()


async def test_one_renewal_for_many_callers_when_the_time_comes(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock, refresh_token=fake.staff_refresh_token)
    try:
        await provider.list_classes()
        assert fake.refreshes == 0  # a day left: nothing to do
        clock.advance(hours=23, minutes=30)
        await asyncio.gather(*(provider.class_students(c) for c in ("7-А", "7-Б")), provider.periods())
        assert fake.refreshes == 1
    finally:
        await provider.close()


async def test_renewed_ahead_of_expiry_on_the_real_clock() -> None:
    async with MeshFakeServer() as fake:  # real time on both sides
        soon = fake.issue_token(expires_in=timedelta(minutes=10))
        provider = await open_on(fake, SystemClock("Europe/Moscow"), token=soon, refresh_token=fake.staff_refresh_token)
        try:
            assert fake.refreshes == 1
            assert await provider.list_classes() == ["7-А", "7-Б"]
            status = provider.auth_status()
            assert status.expires_at is not None and status.expires_at > datetime.now(UTC) + timedelta(hours=23)
        finally:
            await provider.close()


async def test_a_refused_token_is_renewed_once_and_the_request_repeated(
    fake: MeshFakeServer, clock: ManualClock
) -> None:
    provider = await open_on(fake, clock, refresh_token=fake.staff_refresh_token)
    try:
        fake.break_endpoint(GROUPS, status=401, times=1)  # e.g. the session was ended elsewhere
        assert await provider.list_classes() == ["7-А", "7-Б"]
        assert fake.refreshes == 1 and len(fake.requests_to(GROUPS)) == 2
    finally:
        await provider.close()


async def test_a_refused_token_without_renewal_is_an_auth_error(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock)
    try:
        fake.break_endpoint(GROUPS, status=401)
        with pytest.raises(ProviderAuthError, match="refused"):
            await provider.list_classes()
        assert len(fake.requests_to(GROUPS)) == 1
        problem = provider.auth_status().problem
        assert problem is not None and "MESH_TOKEN" in problem
        assert fake.staff_token not in problem
    finally:
        await provider.close()


async def test_a_rejected_refresh_token_is_reported_and_not_retried(fake: MeshFakeServer, clock: ManualClock) -> None:
    soon = fake.issue_token(expires_in=timedelta(minutes=30))
    provider = await open_on(fake, clock, token=soon, refresh_token="revoked")
    try:
        assert provider.session.profile.id == "5001"  # the token itself still works for now
        status = provider.auth_status()
        assert status.refreshable is False and status.problem is not None and "refresh token rejected" in status.problem
        await provider.list_classes()
        assert len(fake.requests_to(REFRESH)) == 1
        assert len(fake.requests_to(ACL)) == 1
    finally:
        await provider.close()


async def test_a_renewal_the_host_cannot_answer_is_tried_again_later(fake: MeshFakeServer, clock: ManualClock) -> None:
    provider = await open_on(fake, clock, refresh_token=fake.staff_refresh_token)
    try:
        clock.advance(hours=23, minutes=30)
        fake.break_endpoint(REFRESH, status=503)
        assert await provider.list_classes() == ["7-А", "7-Б"]  # the token still works meanwhile
        failed = len(fake.requests_to(REFRESH))
        await provider.class_lessons("7-А", date(2026, 11, 23), date(2026, 11, 27))
        assert len(fake.requests_to(REFRESH)) == failed  # not on every request
        fake.heal()
        clock.advance(minutes=6)
        await provider.class_lessons("7-А", date(2026, 11, 23), date(2026, 11, 27))
        assert fake.refreshes == 1
    finally:
        await provider.close()
