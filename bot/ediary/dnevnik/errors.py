"""What a Дневник.ру answer means: data, or one of its two error forms (a JSON `{type, description}` body or
an HTML page with `<div class="error__description">`), sorted into what the client does next."""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

import httpx

from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderError, ProviderUnavailable

SCOPES = (
    "CommonInfo",
    "ContactInfo",
    "FriendsAndRelatives",
    "EducationalInfo",
    "SocialInfo",
    "Files",
    "Wall",
    "Messages",
)
KNOWN_TYPES = frozenset(
    {
        "parameterInvalid",
        "apiRequestLimit",
        "apiServerError",
        "apiUnknownError",
        "authorizationFailed",
        "invalidToken",
        "authorizationOutOfScope",
        "authorizationOwnerForbidden",
        "authorizationNotOwner",
        "apiResourceUnavailable",
        "resourceNotFound",
    }
)
TOKEN_REJECTED = frozenset({"invalidToken", "authorizationFailed"})
FORBIDDEN = frozenset({"authorizationOwnerForbidden", "authorizationNotOwner"})
RATE_LIMIT_STATUSES = frozenset({429, 433})  # 433: seen by one client for the per-token limit [S]


class DnevnikApiError(ProviderError):
    """A refusal that retrying will not change (bad parameter, no such resource, an unknown error type)."""

    def __init__(self, message: str, *, status: int, error_type: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type


class RateLimited(Exception):
    def __init__(self, retry_after: float | None) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class ServerTrouble(Exception):
    """5xx or apiServerError: worth a retry."""


class TokenRejected(Exception):
    """invalidToken / authorizationFailed / a bare 401: renew the token once, then give up."""


def missing_scope(description: str) -> str:
    return next((scope for scope in SCOPES if scope.casefold() in description.casefold()), "unknown")


class _ErrorText(HTMLParser):
    """Collects the text inside <div class="error__description">."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # div nesting inside the description, 0 = outside
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "div":
            return
        if self.depth:
            self.depth += 1
        elif "error__description" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def html_error_text(body: str) -> str | None:
    parser = _ErrorText()
    parser.feed(body)
    text = " ".join(" ".join(parser.parts).split())
    return text or None


def read_answer(response: httpx.Response, endpoint: str) -> Any:
    """The JSON data of a successful answer; otherwise raises what the client should act on."""
    status = response.status_code
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "text/html" or (status >= 400 and response.text.lstrip().startswith("<")):
        if status < 400:  # a maintenance or proxy page in place of data: the service is not there right now
            raise ServerTrouble(f"Дневник.ру {endpoint}: an HTML page instead of data (HTTP {status})")
        _raise_for(status, None, html_error_text(response.text) or "HTML error page", endpoint, response)
    try:
        data = response.json() if response.content else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        if status >= 400:
            _raise_for(status, None, "unreadable error body", endpoint, response)
        raise IncompleteAnswer(f"Дневник.ру {endpoint}: the answer is not JSON") from None
    if isinstance(data, dict) and (data.get("type") in KNOWN_TYPES or (status >= 400 and "type" in data)):
        error_type = data.get("type")
        _raise_for(status, str(error_type), str(data.get("description") or error_type), endpoint, response)
    if status >= 400:
        _raise_for(status, None, f"HTTP {status}", endpoint, response)
    if data is None:
        raise IncompleteAnswer(f"Дневник.ру {endpoint}: empty answer")
    return data


def _raise_for(status: int, error_type: str | None, description: str, endpoint: str, response: httpx.Response) -> None:
    where = f"Дневник.ру {endpoint}"
    if error_type == "apiRequestLimit" or status in RATE_LIMIT_STATUSES or "лимит запросов" in description.lower():
        raise RateLimited(retry_after_seconds(response.headers.get("retry-after"), response.headers.get("date")))
    if error_type in TOKEN_REJECTED or (error_type is None and status == 401):
        raise TokenRejected(f"{where}: token rejected ({error_type or status})")
    if error_type == "authorizationOutOfScope":
        scope = missing_scope(description)
        raise ProviderAuthError(f"{where}: the token lacks the scope {scope}", missing_scope=scope)
    if error_type in FORBIDDEN or (error_type is None and status == 403):
        raise ProviderAuthError(f"{where}: forbidden for this token ({error_type or status})")
    if error_type == "apiServerError" or (error_type is None and status >= 500):
        raise ServerTrouble(f"{where}: {error_type or f'HTTP {status}'}")
    if error_type == "apiUnknownError":
        raise ProviderUnavailable(f"{where}: apiUnknownError")
    raise DnevnikApiError(f"{where}: {error_type or f'HTTP {status}'}", status=status, error_type=error_type)


def retry_after_seconds(value: str | None, sent: str | None = None) -> float | None:
    """Retry-After as seconds; an HTTP date counts from the answer's own Date header (no clocks compared)."""
    if value is None:
        return None
    try:
        return max(float(value.strip()), 0.0)
    except ValueError:
        pass
    try:
        return max((parsedate_to_datetime(value) - parsedate_to_datetime(sent or "")).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None
