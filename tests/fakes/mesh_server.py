"""A fake МЭШ-platform host on 127.0.0.1 (aiohttp, port 0): the teacher API, the family API, the event calendar,
the ACL profiles and the token refresh, in the real shapes (tests/fakes/mesh/render.py) over a school tests can
change while it runs (tests/fakes/mesh/school.py).

    async with MeshFakeServer(now=clock.now) as fake:
        fake.url, fake.staff_token, fake.family_token, fake.staff_refresh_token
        fake.school.add_mark(9001, "Математика", "4", day)      # change the data
        fake.break_endpoint(MARKS, status=500, times=2)         # make an endpoint fail
        fake.requests                                           # what the provider asked

Two accounts: a teacher (staff profile 5001, school mode) and a parent (profile 7001) with a child in each class.
Tokens are JWTs with a real `exp` (checked against `now`) and a fake signature.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from tests.fakes.mesh.answers import (
    ACADEMIC_YEARS,
    ACCOUNTS,
    ACL,
    ACL_LEGACY,
    EVENTS,
    FAMILY,
    FAMILY_KIND,
    FAMILY_MARKS,
    FAMILY_PROFILE,
    GROUPS,
    HOMEWORKS,
    MARKS,
    PERIOD_SCHEDULES,
    PLAN,
    REFRESH,
    SCHEDULE_ITEMS,
    STAFF,
    STUDENT_PROFILES,
    SUBJECT_MARKS,
    SUBJECTS,
    TEACHER,
    TEACHER_PROFILES,
    family_answer,
    staff_answer,
)
from tests.fakes.mesh.school import ACADEMIC_YEAR_ID, FakeSchool, build_school

KIND = web.RequestKey("kind", str)  # which account the request's token belongs to


def make_jwt(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.ZmFrZS1zaWduYXR1cmU"


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    status: int = 0


@dataclass
class Fault:
    """An answer that replaces the real one for `path` (and `page`, when given), `times` times (None: always)."""

    path: str
    status: int = 500
    times: int | None = None
    page: int | None = None
    json_body: Any = None
    text_body: str | None = None
    retry_after: str | None = None
    hits: int = 0


@dataclass
class _Token:
    kind: str
    expires: datetime


class MeshFakeServer:
    def __init__(
        self,
        *,
        now: Callable[[], datetime] | None = None,
        school: FakeSchool | None = None,
        access_lifetime: timedelta = timedelta(hours=24),
    ) -> None:
        self.school = school or build_school()
        self.now = now or (lambda: datetime.now(UTC))
        self.access_lifetime = access_lifetime
        self.requests: list[LoggedRequest] = []
        self.faults: list[Fault] = []
        self.forbid_all = False  # a host answering 403 to everything
        self.redirect_to: str | None = None  # a host that moved
        self.refreshes = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._hold = 0  # requests wait until this many are in flight (bounded-concurrency tests)
        self._batch = 0
        self._arrived = asyncio.Condition()
        self._serial = itertools.count(1)
        self._tokens: dict[str, _Token] = {}
        self._refresh_tokens: dict[str, str] = {}
        self.staff_token = self.issue_token(STAFF)
        self.family_token = self.issue_token(FAMILY_KIND)
        self.staff_refresh_token = self.issue_refresh_token(STAFF)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # tokens
    def issue_token(self, kind: str = STAFF, expires_in: timedelta | None = None) -> str:
        expires = self.now() + (expires_in if expires_in is not None else self.access_lifetime)
        profile_id, _ = ACCOUNTS[kind]
        claims = {"sub": str(profile_id), "exp": int(expires.timestamp()), "iat": int(self.now().timestamp())}
        token = make_jwt(claims | {"jti": next(self._serial)})
        self._tokens[token] = _Token(kind, expires)
        return token

    def issue_refresh_token(self, kind: str = STAFF) -> str:
        token = f"refresh-{kind}-{next(self._serial)}"
        self._refresh_tokens[token] = kind
        return token

    # controls
    def break_endpoint(self, path: str, status: int = 500, **fields: Any) -> Fault:
        fault = Fault(path, status, **fields)
        self.faults.append(fault)
        return fault

    def heal(self) -> None:
        self.faults.clear()

    def hold_until(self, in_flight: int) -> None:
        self._hold = in_flight

    def requests_to(self, path: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path == path]

    # lifecycle
    async def __aenter__(self) -> MeshFakeServer:
        app = web.Application(middlewares=[self._gate])
        app.router.add_route("*", "/{tail:.*}", self._route)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # the request path: log, faults, auth, headers, then the handler
    @web.middleware
    async def _gate(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
        logged = LoggedRequest(
            request.method, request.path, dict(request.query), {k.lower(): v for k, v in request.headers.items()}
        )
        self.requests.append(logged)
        async with self._arrived:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self.in_flight >= self._hold:
                self._batch += 1  # a barrier: the waiting ones go on together with this one
                self._arrived.notify_all()
            else:
                batch = self._batch
                await self._arrived.wait_for(lambda: self._batch != batch)
        try:
            response = await self._answer(request, handler)
        finally:
            async with self._arrived:
                self.in_flight -= 1
        logged.status = response.status
        return response

    async def _answer(self, request: web.Request, handler) -> web.StreamResponse:
        if self.forbid_all:
            return web.Response(status=403, text="<html>403 Forbidden</html>", content_type="text/html")
        if self.redirect_to is not None:
            raise web.HTTPFound(self.redirect_to + request.path)
        fault = self._fault(request)
        if fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
            if fault.text_body is not None:
                return web.Response(
                    status=fault.status, text=fault.text_body, content_type="text/html", headers=headers
                )
            body = fault.json_body if fault.json_body is not None else {"message": "fault injected"}
            return web.json_response(body, status=fault.status, headers=headers)
        if request.path == REFRESH:
            return await self._refresh(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        known = self._tokens.get(token)
        if known is None or known.expires <= self.now():
            return web.json_response({"message": "token expired or unknown"}, status=401)
        request[KIND] = known.kind
        problem = _header_problem(request, known.kind)
        if problem is not None:
            status, message = problem
            return web.json_response({"message": message}, status=status)
        return await handler(request)

    def _fault(self, request: web.Request) -> Fault | None:
        page = request.query.get("page")
        for fault in self.faults:
            if fault.path != request.path or (fault.page is not None and str(fault.page) != page):
                continue
            if fault.times is not None and fault.hits >= fault.times:
                continue
            fault.hits += 1
            return fault
        return None

    async def _refresh(self, request: web.Request) -> web.Response:
        form = await request.post()
        kind = self._refresh_tokens.pop(str(form.get("refresh_token", "")), None)
        if kind is None:
            return web.json_response({"message": "invalid refresh token"}, status=401)
        self.refreshes += 1
        body = {"access_token": self.issue_token(kind), "refresh_token": self.issue_refresh_token(kind)}
        return web.json_response(body | {"token_type": "Bearer"})

    async def _route(self, request: web.Request) -> web.Response:
        path, kind = request.path, request[KIND]
        if path in (ACL, ACL_LEGACY):
            profile_id, profile_type = ACCOUNTS[kind]
            extra = {"school_id": 555} if kind == STAFF else {}
            return web.json_response([{"id": profile_id, "type": profile_type, "roles": [profile_type], **extra}])
        staff_path = path.startswith((TEACHER, PLAN))
        if staff_path != (kind == STAFF):
            return web.json_response({"message": "access denied for this role"}, status=403)
        try:
            if staff_path:
                body = staff_answer(self.school, path, request.query)
            else:
                body = family_answer(self.school, kind, path, request.query)
        except KeyError as exc:
            return web.json_response({"message": f"bad request: {exc}"}, status=400)
        except PermissionError:
            return web.json_response({"message": "not your child"}, status=403)
        if body is None:
            return web.json_response({"message": "not found"}, status=404)
        return web.json_response(body)


def _header_problem(request: web.Request, kind: str) -> tuple[int, str] | None:
    """The headers each subsystem insists on [reference §3.2]; ACL and refresh need only the token."""
    path, headers = request.path, request.headers
    if path in (ACL, ACL_LEGACY):
        return None
    profile_id, _ = ACCOUNTS[kind]
    if headers.get("Profile-Id") != str(profile_id):
        return 400, "profile-id header missing or not the token's profile"
    subsystem = headers.get("x-mes-subsystem")
    if path.startswith((TEACHER, PLAN)):
        wants_aid = path != ACADEMIC_YEARS  # the year's id is what the first call finds out
        if subsystem not in ("teacherweb", "journalw") or (wants_aid and headers.get("aid") != str(ACADEMIC_YEAR_ID)):
            return 400, "teacher API wants x-mes-subsystem teacherweb/journalw and aid"
    elif path.startswith((FAMILY, EVENTS)):
        if subsystem != "familymp":
            return 400, "family API wants x-mes-subsystem familymp"
        if path == EVENTS and headers.get("x-mes-role") not in ("parent", "student"):
            return 400, "events want x-mes-role"
    return None


@contextmanager
def serving_in_thread(fake: MeshFakeServer) -> Iterator[MeshFakeServer]:
    """The fake on its own event loop in a thread, for synchronous callers (CLI commands run asyncio.run)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="mesh-fake", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(fake.__aenter__(), loop).result(timeout=60)  # last-resort guard
        try:
            yield fake
        finally:
            asyncio.run_coroutine_threadsafe(fake.__aexit__(None, None, None), loop).result(timeout=60)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


__all__ = [  # the paths tests name, with the server
    "ACADEMIC_YEARS",
    "ACL",
    "ACL_LEGACY",
    "EVENTS",
    "FAMILY_MARKS",
    "FAMILY_PROFILE",
    "GROUPS",
    "HOMEWORKS",
    "MARKS",
    "PERIOD_SCHEDULES",
    "REFRESH",
    "SCHEDULE_ITEMS",
    "STUDENT_PROFILES",
    "SUBJECTS",
    "SUBJECT_MARKS",
    "TEACHER_PROFILES",
    "Fault",
    "LoggedRequest",
    "MeshFakeServer",
    "make_jwt",
    "serving_in_thread",
]
