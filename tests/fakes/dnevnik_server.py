"""A fake Дневник.ру partner API v2 on 127.0.0.1 (free port), serving the school of dnevnik_school.py.

    async with DnevnikFakeServer() as fake:
        settings = load_settings(**fake.settings_values(), database_path=tmp_path / "bot.sqlite3")
        fake.fail("edu-groups/*/marks/*", "server-html", times=2)    # a 5xx burst
        fake.expire_after(1)                                          # the token in use dies mid-poll
        fake.set_mark(mark_id, "3")                                   # data changes while running
        [r.path for r in fake.requests]                               # what the client asked, with which token

`serving_in_thread()` runs it on a loop of its own for code that runs its own loop (CLI commands, a bot);
data changes (`add_mark`, `set_mark`, `remove_mark`, `heal`) then run on that loop, between two answers.
Both API spellings `/v2/` and `/v2.0/` answer; `/oauth2` (the login host) approves every request at once and
redirects with a code; POST `authorizations` exchanges codes and refresh tokens. Errors come as the real API
gives them: JSON `{type, description}` or an HTML page with `<div class="error__description">`.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web

from tests.fakes.dnevnik_routes import ROUTES, ApiError
from tests.fakes.dnevnik_school import Mark, School, Work, build_school, ids, js_int

API_PREFIXES = ("/v2/", "/v2.0/")
T = TypeVar("T")
ALL_SCOPES = frozenset({"CommonInfo", "ContactInfo", "FriendsAndRelatives", "EducationalInfo"})
FAULT_KINDS = frozenset(
    {"server-json", "server-html", "maintenance-html", "limit-json", "limit-429", "forbidden-html",
     "unauthorized-html", "malformed", "truncated", "not-found", "stall"}
)  # fmt: skip


@dataclass
class LoggedRequest:
    method: str
    path: str  # below the API prefix, e.g. "edu-groups/1152.../marks/2026-11-25T00:00:00/..."
    query: dict[str, str]
    token: str | None
    at: float  # loop time of arrival
    status: int = 0


@dataclass
class Grant:
    scopes: frozenset[str]
    user: str  # person id
    expired: bool = False


@dataclass
class Fault:
    pattern: str
    kind: str
    times: int
    retry_after: str | None = None


@dataclass
class OAuthClient:
    client_id: str = "partner-app"
    client_secret: str = "partner-secret"
    redirect_uri: str = "https://bot.example/dnevnik/callback"


@dataclass
class _Gate:
    bound: int
    total: int
    arrived: int = 0


def html_page(description: str) -> str:
    return (
        '<!DOCTYPE html><html><head><title>Дневник.ру</title></head><body><div class="error">'
        '<div class="error__title">Ошибка</div>'
        f'<div class="error__description"><p>{description}</p></div></div></body></html>'
    )


class DnevnikFakeServer:
    def __init__(self, school: School | None = None, *, token_lifetime: int = 3600) -> None:
        self.school = school or build_school()
        self.oauth = OAuthClient()
        self.token_lifetime = token_lifetime
        self.static_token = secrets.token_hex(16)
        self.grants: dict[str, Grant] = {self.static_token: Grant(ALL_SCOPES, self.school.admin.id)}
        self.refresh_tokens: dict[str, Grant] = {}
        self.codes: dict[str, Grant] = {}
        self.reject_refresh = False
        self.extra_schools: list[tuple[str, str]] = []  # more schools in the token's context
        self.requests: list[LoggedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._faults: list[Fault] = []
        self._rewrites: list[tuple[str, Callable[[Any], Any]]] = []
        self._expire_countdown: int | None = None
        self._gate: _Gate | None = None
        self._changed: asyncio.Condition | None = None
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None  # set by serving_in_thread
        self.port = 0

    # lifecycle
    async def __aenter__(self) -> DnevnikFakeServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()  # listening once this returns: no start-up wait needed
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v2"

    @property
    def login_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings_values(self, *, static_token: bool = True, oauth: bool = False, school: bool = True) -> dict[str, str]:
        """Settings for a provider against this server (lower-case names; upper-case them for the environment)."""
        values = {"ediary_provider": "dnevnik", "dnevnik_api_url": self.url}
        if static_token:
            values["dnevnik_token"] = self.static_token
        if school:
            values["dnevnik_school_id"] = self.school.id
        if oauth:
            values |= {
                "dnevnik_client_id": self.oauth.client_id,
                "dnevnik_client_secret": self.oauth.client_secret,
                "dnevnik_redirect_uri": self.oauth.redirect_uri,
            }
        return values

    # controls for tests
    def fail(self, pattern: str, kind: str, times: int = 1, retry_after: str | None = None) -> None:
        """The next `times` requests whose path matches `pattern` (fnmatch, below /v2/) fail as `kind`."""
        assert kind in FAULT_KINDS, kind
        self._faults.append(Fault(pattern, kind, times, retry_after))

    def rewrite(self, pattern: str, change: Callable[[Any], Any]) -> None:
        """Every answer whose path matches `pattern` passes through `change` (a record losing a field...)."""
        self._rewrites.append((pattern, change))

    def heal(self) -> None:
        def clear() -> None:
            self._faults.clear()
            self._rewrites.clear()
            self._release.set()

        self._on_server(clear)

    def grant(self, scopes: frozenset[str] = ALL_SCOPES) -> str:
        token = secrets.token_hex(16)
        self.grants[token] = Grant(scopes, self.school.admin.id)
        return token

    def expire(self, token: str) -> None:
        self.grants[token].expired = True

    def expire_after(self, requests: int) -> None:
        """The token used by the request after the next `requests` API requests is expired just before it."""
        self._expire_countdown = requests

    def hold_until_concurrent(self, bound: int, total: int) -> None:
        """Hold requests until `bound` are in flight at once (or all `total` expected requests arrived)."""
        self._gate = _Gate(bound, total)

    def requests_to(self, fragment: str, method: str = "GET") -> list[LoggedRequest]:
        return [r for r in self.requests if fragment in r.path and r.method == method]

    async def wait_until(self, check: Callable[[], bool], timeout: float = 60) -> None:
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(check), timeout)

    # data changes
    def add_mark(
        self, student_id: str, lesson_id: str, value: str, when: datetime | None = None, work_type: int = 101
    ) -> str:
        def add() -> str:
            lesson = self.school.lessons[lesson_id]
            work_id = self.school.next_id(6)
            self.school.works[work_id] = Work(work_id, lesson_id, lesson.group, lesson.subject, "LessonWork", work_type)
            mark_id = self.school.next_id(7)
            moment = when or datetime.combine(lesson.day, time(12, 0))
            self.school.marks[mark_id] = Mark(mark_id, student_id, work_id, lesson_id, value, moment, work_type)
            return mark_id

        return self._on_server(add)

    def set_mark(self, mark_id: str, value: str) -> None:
        self._on_server(lambda: setattr(self.school.marks[mark_id], "value", value))

    def remove_mark(self, mark_id: str) -> None:
        self._on_server(lambda: self.school.marks.pop(mark_id))

    def _on_server(self, change: Callable[[], T]) -> T:
        """Served from a thread of its own, a change waits for the server's loop: no answer sees half of it."""
        loop = self._thread_loop
        if loop is None:
            return change()

        async def apply() -> T:
            return change()

        return asyncio.run_coroutine_threadsafe(apply(), loop).result(60)

    # serving
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/oauth2":
            return self._oauth2(request)
        prefix = next((p for p in API_PREFIXES if request.path.startswith(p)), None)
        if prefix is None:
            return web.Response(status=404, text=html_page("Страница не найдена"), content_type="text/html")
        path = request.path[len(prefix) :]
        token = request.headers.get("Access-Token")
        entry = LoggedRequest(request.method, path, dict(request.query), token, asyncio.get_running_loop().time())
        self.requests.append(entry)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._notify()
            await self._pass_gate()
            response = await self._respond(request, path, token)
        finally:
            self.in_flight -= 1
        entry.status = response.status
        await self._notify()
        return response

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def _pass_gate(self) -> None:
        gate = self._gate
        if gate is None:
            return
        gate.arrived += 1
        await self.wait_until(lambda: self.in_flight >= gate.bound or gate.arrived >= gate.total)

    async def _respond(self, request: web.Request, path: str, token: str | None) -> web.StreamResponse:
        fault = self._take_fault(path)
        try:
            if fault is not None and fault.kind not in {"malformed", "truncated"}:
                await self._raise_fault(fault)
            body = await request.read()
            data = self._route(request.method, path, token, dict(request.query), body)
        except ApiError as exc:
            return self._error(exc, fault)
        for pattern, change in self._rewrites:
            if fnmatch.fnmatchcase(path, pattern):
                data = change(data)
        if fault is not None and fault.kind == "malformed":
            data = (
                ["unexpected"]
                if isinstance(data, dict)
                else {"unexpected": data[:1] if isinstance(data, list) else data}
            )
        text = json.dumps(data, ensure_ascii=False)
        if fault is not None and fault.kind == "truncated":
            text = text[: len(text) // 2]
        return web.Response(text=text, content_type="application/json")

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.times > 0 and fnmatch.fnmatchcase(path, fault.pattern):
                fault.times -= 1
                return fault
        return None

    async def _raise_fault(self, fault: Fault) -> None:
        kinds = {
            "server-json": (500, "apiServerError", "Внутренняя ошибка сервера", False),
            "server-html": (503, "", "Сервис временно недоступен", True),
            "maintenance-html": (200, "", "Ведутся технические работы", True),  # a page instead of data, status 200
            "limit-json": (400, "apiRequestLimit", "Превышен лимит запросов для данного токена", False),
            "limit-429": (429, "", "Слишком много запросов", True),
            "forbidden-html": (403, "", "Доступ запрещён", True),
            "unauthorized-html": (401, "", "Требуется авторизация", True),
            "not-found": (404, "resourceNotFound", "Объект не найден", False),
        }
        if fault.kind == "stall":
            await self._release.wait()
            raise ApiError(503, "", "Сервис временно недоступен", html=True)
        status, kind, description, html = kinds[fault.kind]
        raise ApiError(status, kind, description, html=html)

    def _error(self, exc: ApiError, fault: Fault | None) -> web.Response:
        headers = {"Retry-After": fault.retry_after} if fault is not None and fault.retry_after else None
        if exc.html:
            return web.Response(
                status=exc.status, text=html_page(exc.description), content_type="text/html", headers=headers
            )
        body = json.dumps({"type": exc.kind, "description": exc.description}, ensure_ascii=False)
        return web.Response(status=exc.status, text=body, content_type="application/json", headers=headers)

    def _route(self, method: str, path: str, token: str | None, query: dict[str, str], body: bytes) -> Any:
        if method == "POST" and path == "authorizations":
            return self._authorizations(body)
        for verb, pattern, scope, answer in ROUTES:
            match = re.fullmatch(pattern, path)
            if match is not None and verb == method:
                self._check_token(token, scope)
                return answer(self, query=query, **match.groupdict())
        raise ApiError(404, "resourceNotFound", "Метод не найден")

    def _check_token(self, token: str | None, scope: str) -> None:
        grant = self.grants.get(token or "")
        if grant is not None and self._expire_countdown is not None:
            if self._expire_countdown == 0:
                grant.expired = True
                self._expire_countdown = None
            else:
                self._expire_countdown -= 1
        if grant is None or grant.expired:
            raise ApiError(401, "invalidToken", "Токен недействителен или истёк")
        if scope not in grant.scopes:
            raise ApiError(403, "authorizationOutOfScope", f"Для доступа к ресурсу требуется разрешение {scope}")

    # OAuth2: the login host and the token endpoint
    def _oauth2(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("client_id") != self.oauth.client_id or q.get("redirect_uri") != self.oauth.redirect_uri:
            return web.Response(status=400, text=html_page("Неизвестное приложение"), content_type="text/html")
        scopes = frozenset(s for s in q.get("scope", "").split(",") if s) & ALL_SCOPES
        code = secrets.token_hex(8)
        self.codes[code] = Grant(scopes, self.school.admin.id)
        location = f"{self.oauth.redirect_uri}?{urlencode({'code': code, 'state': q.get('state', '')})}"
        raise web.HTTPFound(location)

    def _authorizations(self, body: bytes) -> dict[str, Any]:
        try:
            form = json.loads(body or b"{}")
        except ValueError:
            raise ApiError(400, "parameterInvalid", "Тело запроса не JSON") from None
        if (form.get("client_id"), form.get("client_secret")) != (self.oauth.client_id, self.oauth.client_secret):
            raise ApiError(401, "authorizationFailed", "Неверный client_id или client_secret")
        if form.get("grant_type") == "AuthorizationCode":
            grant = self.codes.pop(str(form.get("code")), None)
        elif form.get("grant_type") == "RefreshToken" and not self.reject_refresh:
            grant = self.refresh_tokens.pop(str(form.get("refreshToken")), None)
        else:
            grant = None
        if grant is None:
            raise ApiError(401, "authorizationFailed", "Код или токен обновления недействителен")
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.grants[access] = Grant(grant.scopes, grant.user)
        self.refresh_tokens[refresh] = grant
        return {
            "accessToken": access,
            "expiresIn": self.token_lifetime,
            "refreshToken": refresh,
            "scope": ",".join(sorted(grant.scopes)),
            **ids("user", self.school.people[grant.user].user_id),
        }

    def context(self) -> dict[str, Any]:
        school = self.school
        admin = school.admin
        groups = [g for g in school.groups.values() if g.type == "Group"]
        schools = [(school.id, school.name), *self.extra_schools]
        return {
            **ids("userId", admin.user_id),
            **ids("personId", admin.id),
            "roles": ["EduAdministrator", "EduStaff"],
            "schools": [
                {**ids("id", sid), "name": name, "type": "School", "groupIds": [js_int(g.id) for g in groups]}
                for sid, name in schools
            ],
            "eduGroups": [g.api() for g in groups],
            "children": [],
            "schoolIds": [js_int(sid) for sid, _ in schools],
            "schoolIds_str": [sid for sid, _ in schools],
            "splitId": None,
            "avatarUrl": None,
        }


@contextmanager
def serving_in_thread(server: DnevnikFakeServer | None = None) -> Iterator[DnevnikFakeServer]:
    """The fake on an event loop of its own thread, for code that runs its own loop (CLI commands) or another
    process (the bot under test). Its controls are plain changes of state and work from the test's thread;
    `wait_until` does not (it belongs to the server's loop)."""
    fake = server or DnevnikFakeServer()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="dnevnik-fake", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(fake.start(), loop).result(60)
        fake._thread_loop = loop
        yield fake
        fake._thread_loop = None
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(60)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(60)
        loop.close()
