"""The HTTP side of Дневник.ру: one pooled httpx client, a bound on requests in flight, retries and backoff.

- 5xx, timeouts, connection errors, `apiServerError` and an HTML page served as 200 (maintenance): retried
  with exponential backoff and jitter, then ProviderUnavailable.
- `apiRequestLimit`, HTTP 429/433: wait (Retry-After where given, else a growing delay) and try again, every
  request of this client pausing together (the limit is per token), until a total wait budget is spent.
- `invalidToken` / `authorizationFailed` / 401: the token source renews once, then ProviderAuthError.
- `authorizationOutOfScope`: ProviderAuthError naming the scope; 403 and owner errors: ProviderAuthError.
Logs name the endpoint template only: never a token, an id or a person.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any

import httpx

from bot.ediary.dnevnik.errors import RateLimited, ServerTrouble, TokenRejected, read_answer
from bot.ediary.dnevnik.tokens import TokenSource
from bot.ediary.provider import ProviderAuthError, ProviderUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4  # tries of one request against 5xx / timeouts / apiServerError
    base_delay: float = 0.5  # seconds before the 2nd try; doubles each time, plus up to 50% jitter
    max_delay: float = 8.0
    rate_limit_delay: float = 1.0  # first wait on a rate limit without Retry-After; doubles
    rate_limit_budget: float = 30.0  # total seconds one request may wait on rate limits (a poll allows 60)
    timeout: float = 20.0
    connect_timeout: float = 10.0

    def backoff(self, failures: int) -> float:
        delay = min(self.base_delay * 2 ** (failures - 1), self.max_delay)
        return delay * (1 + random.random() / 2)


class DnevnikClient:
    """GET/POST against the API base URL with the Access-Token header; answers are JSON data."""

    def __init__(
        self,
        api_url: str,
        tokens: TokenSource | None,
        *,
        max_concurrency: int = 8,
        policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._tokens = tokens  # None: only the token endpoint itself can be called
        self._slots = asyncio.Semaphore(max_concurrency)
        self._resume_at = 0.0  # loop time before which nobody sends (after a rate limit)
        self._http = httpx.AsyncClient(
            base_url=api_url.rstrip("/") + "/",
            timeout=httpx.Timeout(self.policy.timeout, connect=self.policy.connect_timeout),
            limits=httpx.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency),
            headers={"Accept": "application/json"},
            transport=transport,
            follow_redirects=False,
        )

    @property
    def tokens(self) -> TokenSource:
        if self._tokens is None:
            raise ProviderAuthError("Дневник.ру: no token to call the API with")
        return self._tokens

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get(self, path: str, endpoint: str, params: dict[str, str] | None = None) -> Any:
        """`endpoint` is the path template for logs and errors, e.g. 'edu-groups/{g}/marks'."""
        return await self._call("GET", path, endpoint, params=params)

    async def post_unauthorized(self, path: str, body: dict[str, str]) -> Any:
        """POST without a token (the token endpoint itself)."""
        return await self._call("POST", path, path, body=body, authorized=False)

    async def _call(
        self,
        method: str,
        path: str,
        endpoint: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, str] | None = None,
        authorized: bool = True,
    ) -> Any:
        failures = 0
        rate_waited = 0.0
        rate_limits = 0
        renewed = False
        while True:
            token = await self.tokens.current(self) if authorized else None
            headers = {"Access-Token": token} if token is not None else None
            await self._wait_for_rate_limit()
            try:
                async with self._slots:
                    response = await self._http.request(method, path, params=params, json=body, headers=headers)
                answer = read_answer(response, endpoint)
                if token is not None:
                    self.tokens.accepted(token)
                return answer
            except (httpx.TimeoutException, httpx.TransportError, ServerTrouble) as exc:
                failures += 1
                what = type(exc).__name__ if isinstance(exc, httpx.HTTPError) else str(exc)
                if failures >= self.policy.attempts:
                    raise ProviderUnavailable(f"Дневник.ру {endpoint}: {what} ({failures} tries)") from None
                delay = self.policy.backoff(failures)
                log.info("dnevnik: %s %s failed (%s), try %d in %.1fs", method, endpoint, what, failures + 1, delay)
                await asyncio.sleep(delay)
            except RateLimited as exc:
                rate_limits += 1
                wait = exc.retry_after
                if wait is None:
                    wait = self.policy.rate_limit_delay * 2 ** min(rate_limits - 1, 5) * (1 + random.random() / 4)
                if rate_waited + wait > self.policy.rate_limit_budget:
                    raise ProviderUnavailable(
                        f"Дневник.ру {endpoint}: rate limited for {rate_waited:.0f}s, next wait {wait:.0f}s"
                    ) from None
                rate_waited += wait
                self._pause(wait)
                log.warning("dnevnik: request limit reached (%s), all requests pause %.1fs", endpoint, wait)
            except TokenRejected:
                if not authorized:
                    raise ProviderAuthError(f"Дневник.ру {endpoint}: credentials refused") from None
                if not renewed and token is not None and await self.tokens.renew(self, token):
                    renewed = True
                    continue
                raise self.tokens.refused() from None
            except ProviderAuthError as exc:
                if authorized:
                    raise self.tokens.refused(exc.missing_scope) if exc.missing_scope else exc from None
                raise

    def _pause(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self._resume_at = max(self._resume_at, loop.time() + seconds)

    async def _wait_for_rate_limit(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self._resume_at - loop.time()) > 0:
            await asyncio.sleep(delay)
