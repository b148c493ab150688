"""Where the client's token comes from: the token file of the code grant (renewed shortly before it expires
and once when the API rejects it; reloaded when staff authorize again), or a static DNEVNIK_TOKEN. A token
that cannot be renewed raises ProviderAuthError and shows in `auth_status().problem` with the command to run.
A rejection clears once the API accepts the same token again (it was the API's hiccup); a missing scope and a
refused renewal stay until the token changes, so the problem admins are told about does not come and go.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Protocol

from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.dnevnik.auth import (
    AUTHORIZE_COMMAND,
    REFRESH_AHEAD,
    TOKEN_FILE_NAME,
    OAuthApp,
    StoredToken,
    TokenFile,
    token_from_answer,
)
from bot.ediary.model import AuthStatus
from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderError, ProviderUnavailable

if TYPE_CHECKING:
    from bot.ediary.dnevnik.client import DnevnikClient

log = logging.getLogger(__name__)


class TokenSource(Protocol):
    async def current(self, client: DnevnikClient) -> str: ...

    async def renew(self, client: DnevnikClient, rejected: str) -> bool:
        """After the API rejected `rejected`: True when a different token is ready to try."""
        ...

    def refused(self, missing_scope: str | None = None) -> ProviderAuthError:
        """Records a refusal that renewing did not cure (the token, or a scope it lacks); returns the error."""
        ...

    def accepted(self, token: str) -> None:
        """The API answered a request made with `token`."""
        ...

    def status(self) -> AuthStatus: ...

    @property
    def description(self) -> str: ...


class StaticToken:
    """DNEVNIK_TOKEN: used as it is; nothing to renew it with."""

    description = "DNEVNIK_TOKEN"

    def __init__(self, token: str) -> None:
        self._token = token
        self._problem: str | None = None
        self._rejected = False  # the problem is the token's rejection (not a scope)

    async def current(self, client: DnevnikClient) -> str:
        return self._token

    async def renew(self, client: DnevnikClient, rejected: str) -> bool:
        return False

    def refused(self, missing_scope: str | None = None) -> ProviderAuthError:
        if missing_scope is None:
            self._problem = f"Дневник.ру rejects DNEVNIK_TOKEN: set a new one, or run `{AUTHORIZE_COMMAND}`"
            self._rejected = True
        elif self._problem is None or self._rejected:
            self._problem = (
                f"DNEVNIK_TOKEN lacks the scope {missing_scope}: get a token with it, or run `{AUTHORIZE_COMMAND}`"
            )
            self._rejected = False
        return ProviderAuthError(self._problem, missing_scope=missing_scope)

    def accepted(self, token: str) -> None:
        if self._rejected:
            self._problem, self._rejected = None, False

    def status(self) -> AuthStatus:
        return AuthStatus(expires_at=None, refreshable=False, problem=self._problem)


class OAuthTokens:
    """Tokens from the code grant, renewed with the refresh token."""

    description = "token file from `dnevnik authorize`"

    def __init__(self, file: TokenFile, app: OAuthApp | None, clock: Clock) -> None:
        self.file = file
        self.app = app
        self.clock = clock
        self.token = file.load()
        self._problem: str | None = None
        self._rejected_token: str | None = None  # the problem is this token's rejection (not a scope, not renewal)
        self._lock = asyncio.Lock()  # one refresh at a time

    async def current(self, client: DnevnikClient) -> str:
        if self.file.changed():
            self._reload()
        token = self.token
        if token.expires_at is not None and self.clock.now() >= token.expires_at - REFRESH_AHEAD:
            expired = self.clock.now() >= token.expires_at
            try:
                if await self._refresh(client, token.access_token):
                    return self.token.access_token
            except ProviderUnavailable:
                if expired:
                    raise
                log.warning("dnevnik: token renewal ahead of expiry failed (unavailable); still using the old one")
            if expired:
                self._problem = self._problem or (
                    f"the Дневник.ру token has expired and cannot renew itself (no refresh token or no "
                    f"DNEVNIK_CLIENT_ID/SECRET): run `{AUTHORIZE_COMMAND}`"
                )
                raise ProviderAuthError(self._problem)
        return self.token.access_token

    async def renew(self, client: DnevnikClient, rejected: str) -> bool:
        if self.file.changed():
            self._reload()
        if self.token.access_token != rejected:
            return True
        return await self._refresh(client, rejected)

    def refused(self, missing_scope: str | None = None) -> ProviderAuthError:
        if missing_scope is None:
            if self._problem is None:
                self._problem = f"Дневник.ру rejects the bot's token and renewing it failed: run `{AUTHORIZE_COMMAND}`"
                self._rejected_token = self.token.access_token
        elif self._problem is None or self._rejected_token is not None:
            self._problem = f"the Дневник.ру token lacks the scope {missing_scope}: run `{AUTHORIZE_COMMAND}` again"
            self._rejected_token = None
        return ProviderAuthError(self._problem, missing_scope=missing_scope)

    def accepted(self, token: str) -> None:
        if self._rejected_token is not None and token == self._rejected_token:
            self._problem, self._rejected_token = None, None

    def status(self) -> AuthStatus:
        refreshable = self.app is not None and self.token.refresh_token is not None
        return AuthStatus(expires_at=self.token.expires_at, refreshable=refreshable, problem=self._problem)

    def _reload(self) -> None:
        try:
            self.token = self.file.load()
        except SettingsError:
            log.warning("dnevnik: the token file changed but cannot be read; keeping the token in memory")
            return
        self._problem, self._rejected_token = None, None
        log.info("dnevnik: token file reloaded")

    async def _refresh(self, client: DnevnikClient, stale: str) -> bool:
        """Renews the token (unless another task just did); False when that was refused or impossible."""
        async with self._lock:
            if self.token.access_token != stale:
                return True
            if self.app is None or self.token.refresh_token is None:
                return False  # auth_status says so ahead of expiry (refreshable False); current() once expired
            try:
                answer = await client.post_unauthorized(
                    "authorizations", self.app.refresh_request(self.token.refresh_token)
                )
                fresh = token_from_answer(answer, self.clock.now())
            except (ProviderUnavailable, IncompleteAnswer):
                raise
            except ProviderError as exc:
                log.warning("dnevnik: token renewal refused (%s)", type(exc).__name__)
                self._problem = f"Дневник.ру refused to renew the bot's token: run `{AUTHORIZE_COMMAND}`"
                self._rejected_token = None
                return False
            if fresh.refresh_token is None:  # some answers repeat only the access token
                fresh = StoredToken(
                    fresh.access_token, self.token.refresh_token, fresh.expires_at, fresh.scope, fresh.user_id
                )
            if fresh.user_id is None:
                fresh = StoredToken(
                    fresh.access_token, fresh.refresh_token, fresh.expires_at, fresh.scope, self.token.user_id
                )
            self.file.save(fresh)
            self.token = fresh
            self._problem, self._rejected_token = None, None
            log.info("dnevnik: token renewed")
            return True


def token_source(settings: Settings, clock: Clock, login_url: str | None = None) -> TokenSource:
    """The token file when staff authorized, else DNEVNIK_TOKEN; SettingsError when there is neither."""
    file = TokenFile(settings.data_dir / TOKEN_FILE_NAME)
    if file.exists():
        return OAuthTokens(file, OAuthApp.from_settings(settings, login_url), clock)
    if settings.dnevnik_token is not None:
        return StaticToken(settings.dnevnik_token.get_secret_value())
    raise SettingsError(
        f"DNEVNIK_TOKEN is not set and there is no {file.path} (set the token, or DNEVNIK_CLIENT_ID, "
        f"DNEVNIK_CLIENT_SECRET, DNEVNIK_REDIRECT_URI and run `{AUTHORIZE_COMMAND}`)"
    )
