"""The partner OAuth2 code grant of Дневник.ру and the token file it fills.

`ediary-bot dnevnik authorize` sends staff to `<login host>/oauth2?response_type=code&...`, takes the code
(or the whole redirect URL) back, exchanges it with POST `authorizations` and stores access + refresh token
and expiry in `<data dir>/dnevnik-token.json`: mode 0600 from creation, replaced atomically, never logged.
How the running bot uses and renews it: tokens.py.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.config import Settings, SettingsError
from bot.ediary.provider import IncompleteAnswer

if TYPE_CHECKING:
    from bot.ediary.dnevnik.client import DnevnikClient

log = logging.getLogger(__name__)

TOKEN_FILE_NAME = "dnevnik-token.json"
SCOPES = "CommonInfo,FriendsAndRelatives,EducationalInfo"  # what the bot reads (see the package docstring)
REFRESH_AHEAD = timedelta(minutes=5)
AUTHORIZE_COMMAND = "ediary-bot dnevnik authorize"


class AuthorizeError(Exception):
    """The pasted code or redirect URL cannot be used; one line for staff."""


@dataclass(frozen=True, slots=True)
class StoredToken:
    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None  # aware
    scope: str | None = None
    user_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["expires_at"] = self.expires_at.isoformat() if self.expires_at else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredToken:
        expires = data.get("expires_at")
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token"),
            expires_at=datetime.fromisoformat(expires) if expires else None,
            scope=data.get("scope"),
            user_id=data.get("user_id"),
        )


class TokenFile:
    """The token file in the data folder: created 0600 and replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the version last read or written

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> StoredToken:
        try:
            stat = self.path.stat()
            token = StoredToken.from_json(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SettingsError(
                f"{self.path}: unreadable Дневник.ру token file ({type(exc).__name__}); run `{AUTHORIZE_COMMAND}`"
            ) from None
        self._seen = (stat.st_mtime_ns, stat.st_size)
        return token

    def changed(self) -> bool:
        """Whether another process (staff authorizing again) wrote the file since we last read it."""
        try:
            stat = self.path.stat()
        except OSError:
            return False
        return (stat.st_mtime_ns, stat.st_size) != self._seen

    def save(self, token: StoredToken) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, not even briefly
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(token.to_json(), out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        stat = self.path.stat()
        self._seen = (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True, slots=True)
class OAuthApp:
    """The school's registered partner application."""

    client_id: str
    client_secret: str
    redirect_uri: str
    login_url: str  # e.g. https://login.dnevnik.ru

    @classmethod
    def from_settings(cls, settings: Settings, login_url: str | None = None) -> OAuthApp | None:
        secret = settings.dnevnik_client_secret.get_secret_value() if settings.dnevnik_client_secret else None
        if not (settings.dnevnik_client_id and secret and settings.dnevnik_redirect_uri):
            return None
        return cls(
            settings.dnevnik_client_id,
            secret,
            settings.dnevnik_redirect_uri,
            (login_url or login_url_for(settings.dnevnik_api_url)).rstrip("/"),
        )

    def authorization_url(self, state: str, scope: str = SCOPES) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "scope": scope,
                "redirect_uri": self.redirect_uri,
                "state": state,
            }
        )
        return f"{self.login_url}/oauth2?{query}"

    def code_request(self, code: str) -> dict[str, str]:
        return {
            "code": code,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "grant_type": "AuthorizationCode",
        }

    def refresh_request(self, refresh_token: str) -> dict[str, str]:
        return {
            "refreshToken": refresh_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "grant_type": "RefreshToken",
        }


def missing_oauth_settings(settings: Settings) -> list[str]:
    pairs = [
        ("DNEVNIK_CLIENT_ID", settings.dnevnik_client_id),
        ("DNEVNIK_CLIENT_SECRET", settings.dnevnik_client_secret),
        ("DNEVNIK_REDIRECT_URI", settings.dnevnik_redirect_uri),
    ]
    return [name for name, value in pairs if not value]


def login_url_for(api_url: str) -> str:
    """https://api.dnevnik.ru/v2 -> https://login.dnevnik.ru; a host without `api.` keeps its own origin."""
    parts = urlsplit(api_url)
    host = parts.netloc
    if host.startswith("api."):
        host = "login." + host.removeprefix("api.")
    return f"{parts.scheme}://{host}"


def code_from(pasted: str, expected_state: str | None = None) -> str:
    """The authorization code from a bare code or the whole redirect URL (its state checked when known)."""
    text = pasted.strip()
    if not text:
        raise AuthorizeError("no code given")
    if "?" not in text and "://" not in text and "=" not in text:
        return text
    query = parse_qs(urlsplit(text).query or text.split("?", 1)[-1])
    if "error" in query:
        raise AuthorizeError(f"Дневник.ру refused the authorization: {query['error'][0]}")
    codes = query.get("code")
    if not codes or not codes[0].strip():
        raise AuthorizeError("the pasted URL has no code= parameter")
    state = query.get("state", [None])[0]
    if expected_state is not None and state is not None and state != expected_state:
        raise AuthorizeError("the pasted URL belongs to another authorization (state differs); start again")
    return codes[0].strip()


def token_from_answer(answer: object, now: datetime) -> StoredToken:
    """`{accessToken, expiresIn, refreshToken, scope, user}` from POST authorizations."""
    if not isinstance(answer, dict) or not isinstance(answer.get("accessToken"), str) or not answer["accessToken"]:
        raise IncompleteAnswer("Дневник.ру authorizations: no accessToken in the answer")
    expires_in = answer.get("expiresIn")
    expires_at = None
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool) and expires_in > 0:
        expires_at = now + timedelta(seconds=float(expires_in))
    refresh = answer.get("refreshToken")
    user = answer.get("user_str") or answer.get("user")
    return StoredToken(
        access_token=answer["accessToken"],
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        expires_at=expires_at,
        scope=answer.get("scope") if isinstance(answer.get("scope"), str) else None,
        user_id=str(user) if user is not None else None,
    )


async def exchange_code(client: DnevnikClient, app: OAuthApp, code: str, now: datetime) -> StoredToken:
    answer = await client.post_unauthorized("authorizations", app.code_request(code))
    return token_from_answer(answer, now)
