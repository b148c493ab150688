"""HTTP to one МЭШ-platform host: one pooled client, bounded concurrency, retries, the headers each API wants.

Errors come out as the protocol's: 5xx, timeouts and connection failures are retried with exponential backoff
and jitter, then ProviderUnavailable; 429 waits for Retry-After; 401 renews the token once (where it can) and
otherwise is a ProviderAuthError saying what to do; 403 is a ProviderAuthError naming the endpoint; a redirect
(a host that moved) is a ProviderUnavailable naming where it points. Nothing is retried forever. The log gets
endpoint names and statuses only, never URLs, parameters or tokens.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot.ediary.mesh.token import RefreshRejected, TokenKeeper, TokenPair
from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderError, ProviderUnavailable

log = logging.getLogger(__name__)

MAX_PAGES = 200
REFRESH_PATH = "/v3/token/refresh"


class Api(StrEnum):
    """The platform's subsystems; each wants its own headers [reference §3.2]."""

    ACL = "acl"  # profiles of the token
    FAMILY = "family"  # /api/family/mobile/v1
    EVENTS = "events"  # /api/eventcalendar/v1
    TEACHER = "teacher"  # /api/ej/core/teacher/v1
    PLAN = "plan"  # /api/ej/plan/teacher/v1


class EndpointMissing(ProviderError):
    """404: this host has no such endpoint (another generation of the platform)."""


class HostMoved(ProviderUnavailable):
    """A redirect: the e-diary moved or wants a browser sign-in; waiting does not help, the admins must look."""


class MeshClient:
    def __init__(
        self,
        base_url: str,
        keeper: TokenKeeper,
        *,
        max_concurrency: int = 8,
        per_page: int = 500,
        timeout: float = 30.0,
        max_attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 20.0,
        max_retry_after: float = 120.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc or self.base_url
        self.keeper = keeper
        self.per_page = per_page
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._slots = asyncio.Semaphore(max_concurrency)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency),
            follow_redirects=False,
        )
        # set once the session knows them (session.py)
        self.profile_id: str | None = None
        self.event_role = "parent"
        self.academic_year_id: str | None = None
        self.sent: Counter[str] = Counter()  # requests per endpoint name, for `mesh check` and tests

    async def close(self) -> None:
        await self._http.aclose()

    def headers(self, api: Api, token: str) -> dict[str, str]:
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token}", "Auth-Token": token}
        if api is Api.ACL:
            headers["x-mes-subsystem"] = "familymp"
            return headers
        if self.profile_id is not None:
            headers["Profile-Id"] = self.profile_id
        if api in (Api.FAMILY, Api.EVENTS):
            headers["x-mes-subsystem"] = "familymp"
            headers["client-type"] = "diary-mobile"
            if api is Api.EVENTS:
                headers["x-mes-role"] = self.event_role
        else:
            headers["x-mes-subsystem"] = "journalw" if api is Api.PLAN else "teacherweb"
            headers["x-mes-hostid"] = "9"
            headers["x-mes-roleid"] = "9"
            if self.academic_year_id is not None:
                headers["aid"] = self.academic_year_id
        return headers

    async def get(self, path: str, *, api: Api, name: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON of one GET; `name` is what errors and the log call the endpoint."""
        refused_once = False
        attempt = 0
        while True:
            token = await self.keeper.fresh_token(self._refresh)
            response = await self._send("GET", path, name, params=params, headers=self.headers(api, token))
            if response is None or response.status_code == 429 or response.status_code >= 500:
                attempt += 1
                await self._pause(name, response, attempt)
                continue
            status = response.status_code
            if status == 401:
                if not refused_once and await self.keeper.refresh(self._refresh, reason="refused", rejected=token):
                    refused_once = True
                    continue
                raise self.keeper.fail(f"was refused by {self.host} (HTTP 401)")
            if status == 403:
                raise ProviderAuthError(
                    f"МЭШ {name}: {self.host} forbids it for this token and profile (HTTP 403); "
                    "`ediary-bot mesh check` shows what the token may read",
                    missing_scope=name,
                )
            self._refuse_redirect(response, name)
            if status == 404:
                raise EndpointMissing(f"МЭШ {name}: {self.host} has no such endpoint (HTTP 404)")
            if not 200 <= status < 300:
                raise ProviderError(f"МЭШ {name}: HTTP {status}")
            try:
                return response.json()
            except ValueError:
                raise IncompleteAnswer(f"МЭШ {name}: the answer is not JSON") from None

    async def get_pages(
        self, path: str, *, api: Api, name: str, params: dict[str, Any], per_page: int | None = None
    ) -> list[Any]:
        """Every page of a `page`/`per_page` list (bare JSON arrays), until a short page. A page after the
        first that fails makes the whole answer an IncompleteAnswer: never a partial list."""
        size = per_page or self.per_page
        items: list[Any] = []
        for page in range(1, MAX_PAGES + 1):
            try:
                answer = await self.get(path, api=api, name=name, params={**params, "page": page, "per_page": size})
            except (ProviderAuthError, IncompleteAnswer):
                raise
            except ProviderError as exc:
                if page == 1:
                    raise
                raise IncompleteAnswer(f"МЭШ {name}: page {page} failed ({exc}), the answer is incomplete") from exc
            if not isinstance(answer, list):
                raise IncompleteAnswer(f"МЭШ {name}: page {page} is not a list")
            items.extend(answer)
            if len(answer) < size:
                return items
        raise IncompleteAnswer(f"МЭШ {name}: more than {MAX_PAGES} pages")

    async def _send(
        self, method: str, path: str, name: str, *, headers: dict[str, str], **kwargs: Any
    ) -> httpx.Response | None:
        """One request within the concurrency bound; None on a timeout or a connection failure."""
        async with self._slots:
            self.sent[name] += 1
            try:
                return await self._http.request(method, path, headers=headers, **kwargs)
            except httpx.TimeoutException:
                log.info("МЭШ %s: timed out", name)
            except httpx.TransportError as exc:
                log.info("МЭШ %s: connection failed (%s)", name, type(exc).__name__)
        return None

    async def _pause(self, name: str, response: httpx.Response | None, attempt: int) -> None:
        """Waits before the next attempt, or raises when the attempts are used up."""
        what = "timed out or unreachable" if response is None else f"HTTP {response.status_code}"
        if attempt >= self.max_attempts:
            raise ProviderUnavailable(f"МЭШ {name}: {self.host} {what} ({attempt} attempts)")
        delay = self._retry_after(response) if response is not None and response.status_code == 429 else None
        if delay is None:
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        log.info("МЭШ %s: %s, attempt %d of %d in %.1f s", name, what, attempt + 1, self.max_attempts, delay)
        await self._sleep(delay)

    def _retry_after(self, response: httpx.Response) -> float | None:
        value = response.headers.get("Retry-After")
        if value is None:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            if when.tzinfo is None:
                return None
            # an HTTP date is the server's wall clock, not the school's: compare with real time
            seconds = (when - datetime.now(UTC)).total_seconds()
        return min(max(seconds, 0.0), self.max_retry_after)

    def _refuse_redirect(self, response: httpx.Response, name: str) -> None:
        if response.is_redirect:
            target = urlsplit(response.headers.get("Location", "")).netloc or "another page"
            raise HostMoved(
                f"МЭШ {name}: {self.host} redirects to {target}: the e-diary may have moved or wants a browser "
                "sign-in; check MESH_API_URL (Moscow Oblast: https://authedu.mosreg.ru) and the token"
            )

    async def _refresh(self, refresh_token: str) -> TokenPair:
        """POST /v3/token/refresh (form `refresh_token`) -> {access_token, refresh_token} [reference §3.2, S]."""
        name = "token refresh"
        for attempt in range(1, self.max_attempts + 1):
            response = await self._send("POST", REFRESH_PATH, name, headers={}, data={"refresh_token": refresh_token})
            if response is not None and response.status_code != 429 and response.status_code < 500:
                break
            await self._pause(name, response, attempt)
        assert response is not None  # the loop either broke on an answer or raised
        if response.status_code in (400, 401, 403):
            raise RefreshRejected(f"МЭШ {name}: refused (HTTP {response.status_code})")
        self._refuse_redirect(response, name)
        if response.status_code != 200:
            raise ProviderError(f"МЭШ {name}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise IncompleteAnswer(f"МЭШ {name}: the answer is not JSON") from None
        access = body.get("access_token") if isinstance(body, dict) else None
        refresh = body.get("refresh_token") if isinstance(body, dict) else None
        if not isinstance(access, str) or not (refresh is None or isinstance(refresh, str)):
            raise IncompleteAnswer(f"МЭШ {name}: no access_token in the answer")
        return TokenPair(access, refresh)
