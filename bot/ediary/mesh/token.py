"""The МЭШ token: a JWT a person copied from a signed-in browser, renewed by its refresh token where there is one.

The bot never checks the signature (it cannot: the key is the platform's); it only reads `exp` to know when to
renew. A renewed pair is kept in `<data dir>/mesh-token.json` (mode 0600) and wins over MESH_TOKEN while it
expires later, so a fresh token pasted into MESH_TOKEN takes over again. Tokens never reach the log.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import Clock
from bot.ediary.model import AuthStatus
from bot.ediary.provider import ProviderAuthError, ProviderError

log = logging.getLogger(__name__)

REFRESH_AHEAD = timedelta(hours=1)  # as OctoDiary-tg: renew when less than an hour is left
REFRESH_RETRY = timedelta(minutes=5)  # after a renewal that could not reach the e-diary
TOKEN_FILE = "mesh-token.json"


def jwt_claims(token: str) -> dict | None:
    """The JWT payload without a signature check; None when `token` is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


def jwt_expiry(token: str) -> datetime | None:
    claims = jwt_claims(token)
    exp = claims.get("exp") if claims else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    return datetime.fromtimestamp(exp, UTC)


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str | None = None

    @property
    def expires_at(self) -> datetime | None:
        return jwt_expiry(self.access)


class TokenStore:
    """The renewed pair on disk: written atomically, readable by the bot's user only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> TokenPair | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("МЭШ token file %s is unreadable (%s); using MESH_TOKEN", self.path, type(exc).__name__)
            return None
        access, refresh = data.get("token"), data.get("refresh_token")
        if not isinstance(access, str) or not (refresh is None or isinstance(refresh, str)):
            log.warning("МЭШ token file %s has an unexpected shape; using MESH_TOKEN", self.path)
            return None
        return TokenPair(access, refresh)

    def save(self, pair: TokenPair, saved_at: datetime) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        body = json.dumps({"token": pair.access, "refresh_token": pair.refresh, "saved_at": saved_at.isoformat()})
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(body)
        os.chmod(temporary, 0o600)  # an older file left with wider rights
        os.replace(temporary, self.path)


def _expires_later(candidate: TokenPair, current: TokenPair) -> bool:
    theirs, ours = candidate.expires_at, current.expires_at
    return theirs is not None and (ours is None or theirs > ours)


Refresher = Callable[[str], Awaitable[TokenPair]]


class RefreshRejected(ProviderError):
    """The refresh endpoint refused the refresh token (as opposed to being unreachable)."""


class TokenKeeper:
    """The token in use: which one (setting or stored), when it expires, renewing it ahead of expiry."""

    def __init__(
        self,
        configured: TokenPair,
        store: TokenStore | None,
        clock: Clock,
        *,
        host: str,
        refresh_ahead: timedelta = REFRESH_AHEAD,
    ) -> None:
        self.clock = clock
        self.store = store
        self.host = host
        self.refresh_ahead = refresh_ahead
        stored = store.load() if store is not None else None
        self.pair = stored if stored is not None and _expires_later(stored, configured) else configured
        self.source = "stored" if self.pair is stored else "setting"
        self.problem: str | None = None
        self._lock = asyncio.Lock()
        self._retry_at: datetime | None = None  # no renewal attempt before then (the last one failed)

    @property
    def token(self) -> str:
        return self.pair.access

    @property
    def expires_at(self) -> datetime | None:
        return self.pair.expires_at

    @property
    def refreshable(self) -> bool:
        return self.pair.refresh is not None

    def status(self) -> AuthStatus:
        """For the admins' notices, without I/O: an expired token that cannot be renewed is a problem before any
        request fails (one that can be renewed is renewed at the next read)."""
        problem = self.problem
        if problem is None and self.expired() and not self.refreshable:
            problem = self._problem(self._expired())
        return AuthStatus(expires_at=self.expires_at, refreshable=self.refreshable, problem=problem)

    def what_to_do(self) -> str:
        return (
            f"sign in at {self.host} in a browser with the account the bot reads as (staff for school mode, a "
            "parent for per-student mode), copy the aupd_token cookie into MESH_TOKEN (and aupd_refresh_token, "
            "where there is one, into MESH_REFRESH_TOKEN), restart the bot and run `ediary-bot mesh check`"
        )

    def _problem(self, reason: str) -> str:
        return f"МЭШ token {reason}: {self.what_to_do()}"

    def _expired(self) -> str:
        return f"expired at {self.expires_at:%Y-%m-%d %H:%M} UTC"

    def fail(self, reason: str) -> ProviderAuthError:
        """Remember why the token does not work (for auth_status) and build the error to raise."""
        self.problem = self._problem(reason)
        return ProviderAuthError(self.problem)

    def expired(self) -> bool:
        expires = self.expires_at
        return expires is not None and expires <= self.clock.now()

    def due_for_refresh(self) -> bool:
        expires, now = self.expires_at, self.clock.now()
        if self._retry_at is not None and now < self._retry_at:
            return False
        return self.refreshable and expires is not None and expires - now <= self.refresh_ahead

    async def fresh_token(self, refresher: Refresher) -> str:
        """The token to send now: renewed first when it is about to expire and can be renewed."""
        if self.due_for_refresh():
            await self.refresh(refresher, reason="ahead of expiry")
        if self.expired():
            raise self.fail(self._expired())
        return self.token

    async def refresh(self, refresher: Refresher, *, reason: str, rejected: str | None = None) -> bool:
        """Renews the pair once (concurrent callers wait for the same renewal). `rejected`: the token that
        the e-diary refused; if another task already replaced it, nothing more is done. True when renewed."""
        async with self._lock:
            if rejected is not None and self.token != rejected:
                return True
            if rejected is None and not self.due_for_refresh():
                return False  # another task renewed it while this one waited
            refresh_token = self.pair.refresh
            if refresh_token is None:
                return False
            try:
                pair = await refresher(refresh_token)
            except RefreshRejected:
                self.problem = f"МЭШ refresh token rejected (the token cannot be renewed): {self.what_to_do()}"
                self.pair = TokenPair(self.pair.access, None)  # a refused refresh token is not tried again
                log.warning("МЭШ token refresh (%s) was rejected", reason)
                return False
            except ProviderError as exc:
                if self.expired():
                    raise
                self._retry_at = self.clock.now() + REFRESH_RETRY
                log.warning("МЭШ token refresh (%s) failed, the current token still works: %s", reason, exc)
                return False
            self.pair = TokenPair(pair.access, pair.refresh or refresh_token)
            self.source = "stored"
            self._retry_at = None
            self.problem = None
            if self.store is not None:
                try:
                    self.store.save(self.pair, self.clock.now())
                except OSError as exc:
                    log.warning("МЭШ token renewed but not saved (%s): it is lost on restart", type(exc).__name__)
            log.info("МЭШ token renewed (%s); it expires %s", reason, self.expires_at)
            return True
