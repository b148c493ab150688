"""Tokens for Дневник.ру: the partner code grant, the 0600 token file, renewal ahead of expiry and after a
rejection mid-poll, and what admins see (auth_status().problem) when renewal fails."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.clock import Clock, ManualClock, SystemClock
from bot.config import Settings, load_settings
from bot.ediary.dnevnik import open_dnevnik
from bot.ediary.dnevnik.auth import (
    TOKEN_FILE_NAME,
    AuthorizeError,
    OAuthApp,
    StoredToken,
    TokenFile,
    code_from,
    exchange_code,
    login_url_for,
)
from bot.ediary.dnevnik.client import DnevnikClient, RetryPolicy
from bot.ediary.dnevnik.provider import DnevnikProvider
from bot.ediary.provider import ProviderAuthError
from tests.fakes.dnevnik_server import DnevnikFakeServer

TODAY = date(2026, 11, 25)
FAST = RetryPolicy(base_delay=0.01, max_delay=0.02)


def oauth_settings(fake: DnevnikFakeServer, tmp_path: Path) -> Settings:
    values = fake.settings_values(static_token=False, oauth=True)
    return load_settings(_env_file=None, database_path=tmp_path / "bot.sqlite3", **values)


async def authorize(fake: DnevnikFakeServer, settings: Settings, clock: Clock) -> StoredToken:
    """What `dnevnik authorize` does: the login host's redirect gives a code, POST authorizations a token."""
    app = OAuthApp.from_settings(settings)
    assert app is not None
    async with httpx.AsyncClient() as browser:
        redirect = (await browser.get(app.authorization_url("state-1"))).headers["location"]
    client = DnevnikClient(settings.dnevnik_api_url, None)
    try:
        token = await exchange_code(client, app, code_from(redirect, "state-1"), clock.now())
    finally:
        await client.aclose()
    TokenFile(settings.data_dir / TOKEN_FILE_NAME).save(token)
    return token


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.combine(TODAY, time(10, 0)), "Europe/Moscow")


@pytest.fixture
async def fake() -> AsyncIterator[DnevnikFakeServer]:
    async with DnevnikFakeServer() as server:
        yield server


@pytest.fixture
async def authorized(fake, tmp_path, clock) -> AsyncIterator[tuple[DnevnikProvider, StoredToken]]:
    settings = oauth_settings(fake, tmp_path)
    token = await authorize(fake, settings, clock)
    provider = await open_dnevnik(settings, clock, policy=FAST)
    await provider.class_grades("5А", TODAY, TODAY)  # reference data cached: what follows is a poll
    yield provider, token
    await provider.close()


def token_file(tmp_path: Path) -> Path:
    return tmp_path / TOKEN_FILE_NAME


def test_the_code_comes_bare_or_inside_the_redirect_url():
    assert code_from("  a1b2c3\n") == "a1b2c3"
    assert code_from("https://bot.example/cb?code=XYZ&state=s1", expected_state="s1") == "XYZ"
    assert code_from("https://bot.example/cb?state=other&code=XYZ") == "XYZ"  # pasted via --code: state unknown
    with pytest.raises(AuthorizeError, match="state differs"):
        code_from("https://bot.example/cb?code=XYZ&state=other", expected_state="s1")
    with pytest.raises(AuthorizeError, match="refused the authorization: access_denied"):
        code_from("https://bot.example/cb?error=access_denied&state=s1", expected_state="s1")
    with pytest.raises(AuthorizeError, match="no code="):
        code_from("https://bot.example/cb?state=s1")
    with pytest.raises(AuthorizeError, match="no code given"):
        code_from(" \n")


def test_the_login_host_follows_the_api_host(tmp_path):
    assert login_url_for("https://api.dnevnik.ru/v2") == "https://login.dnevnik.ru"
    assert login_url_for("https://api.school.example.ru/v2.0") == "https://login.school.example.ru"
    assert login_url_for("http://127.0.0.1:8080/v2") == "http://127.0.0.1:8080"
    settings = load_settings(
        _env_file=None,
        database_path=tmp_path / "bot.sqlite3",
        dnevnik_client_id="app",
        dnevnik_client_secret="secret",
        dnevnik_redirect_uri="https://bot.example/cb",
    )
    app = OAuthApp.from_settings(settings)
    assert app is not None
    url = app.authorization_url("st")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://login.dnevnik.ru/oauth2"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "response_type": "code",
        "client_id": "app",
        "scope": "CommonInfo,FriendsAndRelatives,EducationalInfo",
        "redirect_uri": "https://bot.example/cb",
        "state": "st",
    }
    assert "secret" not in url
    other = OAuthApp.from_settings(settings, login_url="http://127.0.0.1:9/")
    assert other is not None and other.authorization_url("st").startswith("http://127.0.0.1:9/oauth2?")


def test_the_token_file_is_written_0600_and_atomically(tmp_path):
    file = TokenFile(tmp_path / "data" / TOKEN_FILE_NAME)
    first = StoredToken("access-1", "refresh-1", None, "EducationalInfo", "42")
    file.save(first)
    file.save(StoredToken("access-2", "refresh-2"))
    assert os.stat(file.path).st_mode & 0o777 == 0o600
    assert [p.name for p in file.path.parent.iterdir()] == [TOKEN_FILE_NAME]  # no temporary file left
    assert TokenFile(file.path).load() == StoredToken("access-2", "refresh-2")


async def test_the_code_grant_gives_the_provider_its_token(authorized, fake, clock, tmp_path):
    provider, token = authorized
    assert token.access_token in fake.grants and token.refresh_token is not None
    assert {r.token for r in fake.requests if r.method == "GET"} == {token.access_token}
    status = provider.auth_status()
    assert (status.expires_at, status.refreshable, status.problem) == (
        clock.now() + timedelta(seconds=fake.token_lifetime),
        True,
        None,
    )
    assert TokenFile(token_file(tmp_path)).load() == token


async def test_the_token_is_renewed_ahead_of_expiry_by_the_clock(authorized, fake, clock, tmp_path):
    provider, token = authorized
    clock.advance(seconds=fake.token_lifetime - 120)
    assert await provider.class_grades("5А", TODAY, TODAY)
    assert len(fake.requests_to("authorizations", method="POST")) == 2  # the code, then the refresh
    assert 401 not in [r.status for r in fake.requests]
    renewed = TokenFile(token_file(tmp_path)).load()
    assert renewed.access_token != token.access_token and os.stat(token_file(tmp_path)).st_mode & 0o777 == 0o600
    assert fake.requests[-1].token == renewed.access_token
    assert provider.auth_status().expires_at == clock.now() + timedelta(seconds=fake.token_lifetime)


async def test_a_token_expiring_mid_poll_is_renewed_once(authorized, fake, tmp_path):
    provider, token = authorized
    fake.expire_after(1)  # the poll's second request meets a dead token
    schedule = await provider.class_schedule("5А", TODAY, TODAY)
    assert schedule.lessons and schedule.grades
    rejected = [r for r in fake.requests if r.status == 401]
    assert len(rejected) == 1 and rejected[0].token == token.access_token
    assert len(fake.requests_to("authorizations", method="POST")) == 2
    renewed = TokenFile(token_file(tmp_path)).load().access_token
    refresh_at = fake.requests.index(fake.requests_to("authorizations", method="POST")[-1])
    assert {r.token for r in fake.requests[refresh_at + 1 :]} == {renewed}
    assert provider.auth_status().problem is None


async def test_a_refused_renewal_is_an_auth_error_admins_see(authorized, fake, clock, tmp_path):
    provider, token = authorized
    fake.reject_refresh = True
    fake.expire(token.access_token)
    with pytest.raises(ProviderAuthError):
        await provider.class_grades("5А", TODAY, TODAY)
    problem = provider.auth_status().problem
    assert problem is not None and "ediary-bot dnevnik authorize" in problem
    assert token.access_token not in problem and (token.refresh_token or "") not in problem
    # staff authorize again: the running provider picks the new file up
    fake.reject_refresh = False
    await authorize(fake, oauth_settings(fake, tmp_path), clock)
    assert await provider.class_grades("5А", TODAY, TODAY)
    assert provider.auth_status().problem is None


async def test_renewal_ahead_of_expiry_on_the_real_clock(tmp_path):
    async with DnevnikFakeServer(token_lifetime=120) as fake:  # shorter than the five minutes of renewal ahead
        settings = oauth_settings(fake, tmp_path)
        clock = SystemClock()
        first = await authorize(fake, settings, clock)
        provider = await open_dnevnik(settings, clock, policy=FAST)
        try:
            assert await provider.list_classes() == ["5А", "6Б"]
            assert fake.requests_to("edu-groups")[0].token != first.access_token
            assert len(fake.requests_to("authorizations", method="POST")) == 2
        finally:
            await provider.close()


async def test_a_rejected_static_token_is_reported_with_what_to_do(fake, tmp_path, clock):
    settings = load_settings(_env_file=None, database_path=tmp_path / "bot.sqlite3", **fake.settings_values())
    provider = await open_dnevnik(settings, clock, policy=FAST)
    try:
        fake.expire(fake.static_token)
        with pytest.raises(ProviderAuthError, match="DNEVNIK_TOKEN"):
            await provider.list_classes()
        status = provider.auth_status()
        assert status.refreshable is False and status.problem is not None and "DNEVNIK_TOKEN" in status.problem
        assert len(fake.requests) == 1  # nothing to renew it with: not tried again
    finally:
        await provider.close()


async def test_the_token_file_wins_over_a_static_token(fake, tmp_path, clock):
    settings = oauth_settings(fake, tmp_path)
    token = await authorize(fake, settings, clock)
    both = load_settings(
        _env_file=None, database_path=tmp_path / "bot.sqlite3", **fake.settings_values(static_token=True, oauth=True)
    )
    provider = await open_dnevnik(both, ManualClock(clock.now()), policy=FAST)
    try:
        await provider.list_classes()
        assert fake.requests[-1].token == token.access_token
    finally:
        await provider.close()


async def test_a_rejection_clears_when_the_api_accepts_the_same_token_again(fake, tmp_path, clock):
    settings = load_settings(_env_file=None, database_path=tmp_path / "bot.sqlite3", **fake.settings_values())
    provider = await open_dnevnik(settings, clock, policy=FAST)
    try:
        fake.expire(fake.static_token)
        with pytest.raises(ProviderAuthError):
            await provider.list_classes()
        assert provider.auth_status().problem is not None
        fake.grants[fake.static_token].expired = False  # the API's hiccup is over
        assert await provider.list_classes() == ["5А", "6Б"]
        assert provider.auth_status().problem is None
    finally:
        await provider.close()


async def test_a_missing_scope_stays_reported_while_other_endpoints_answer(fake, tmp_path, clock):
    token = fake.grant(frozenset({"CommonInfo", "EducationalInfo"}))
    values = fake.settings_values() | {"dnevnik_token": token}
    settings = load_settings(_env_file=None, database_path=tmp_path / "bot.sqlite3", **values)
    provider = await open_dnevnik(settings, clock, policy=FAST)
    try:
        student = (await provider.class_students("5А"))[0]
        with pytest.raises(ProviderAuthError) as refused:
            await provider.parents_of(student.id)
        assert refused.value.missing_scope == "FriendsAndRelatives"
        problem = provider.auth_status().problem
        assert problem is not None and "FriendsAndRelatives" in problem
        assert await provider.class_grades("5А", TODAY, TODAY)  # EducationalInfo answers
        assert provider.auth_status().problem == problem  # not cleared: admins are not told twice
    finally:
        await provider.close()


async def test_a_token_without_refresh_warns_ahead_and_fails_only_once_expired(fake, tmp_path, clock):
    settings = oauth_settings(fake, tmp_path)
    token = await authorize(fake, settings, clock)
    TokenFile(token_file(tmp_path)).save(StoredToken(token.access_token, None, token.expires_at, token.scope))
    provider = await open_dnevnik(settings, clock, policy=FAST)
    try:
        clock.advance(seconds=fake.token_lifetime - 60)  # within the renewal window, nothing to renew with
        assert await provider.list_classes() == ["5А", "6Б"]
        status = provider.auth_status()
        assert (status.expires_at, status.refreshable, status.problem) == (token.expires_at, False, None)
        clock.advance(seconds=120)
        with pytest.raises(ProviderAuthError, match="expired and cannot renew itself"):
            await provider.class_grades("5А", TODAY, TODAY)
        assert "ediary-bot dnevnik authorize" in (provider.auth_status().problem or "")
        assert len(fake.requests_to("authorizations", method="POST")) == 1  # only the code: nothing to refresh
    finally:
        await provider.close()
