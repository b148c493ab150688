"""A fake Telegram Bot API HTTP server for end-to-end tests of the real bot process.

    async with FakeTelegram() as tg:           # listens on 127.0.0.1:<random port>
        env["TELEGRAM_API_URL"] = tg.base_url  # aiogram posts to {base}/bot{token}/{method}
        user = tg.user(1001, first_name="Анна")
        await user.send("/start")
        reply = await user.wait_reply()

Bot API behaviour (messages, edits, errors, error injection) is the TelegramCore
shared with MockedSession; this module adds HTTP, real getUpdates long polling
and users who wait for the bot's replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message, Update
from aiohttp import web

from . import updates as u
from .client import ChatSide
from .core import NetworkFailure, TelegramCore
from .webhook import WebhookDelivery

HANG_GUARD = 120.0  # seconds: the longest any wait for the bot may take before the test fails as hung

# Telegram's default when allowed_updates is empty: everything but these opt-in types
_OPT_IN = {"chat_member", "message_reaction", "message_reaction_count"}
DEFAULT_UPDATE_TYPES = [name for name in Update.model_fields if name != "update_id" and name not in _OPT_IN]


class FakeTelegram:
    """The HTTP Bot API on 127.0.0.1:<random port>; use as `async with FakeTelegram() as tg`."""

    def __init__(
        self,
        token: str | None = None,
        bot_username: str = "ediary_test_bot",
        *,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 0,
    ) -> None:
        """token: if given, other tokens get 401 Unauthorized (checks the bot's configuration).
        latency: seconds every answer takes after the request was handled (a distant Telegram);
        jitter: up to this many seconds, at random, before a request reaches Telegram's limiter and handler."""
        self.core = TelegramCore(bot_username)
        self.latency = latency
        self.jitter = jitter
        self._random = random.Random(seed)
        self.token = token
        self.base_url = ""
        self.updates: list[dict[str, Any]] = []  # queued, not yet confirmed by an offset
        self._arrived = asyncio.Event()
        self.polling = asyncio.Event()  # set by the first getUpdates: the bot is up and listening
        self._poll_generation = 0
        self._allowed: list[str] = []  # Telegram remembers the last allowed_updates given
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.webhook = WebhookDelivery()  # setWebhook: updates are POSTed to the bot instead of polled

    # --- recorded traffic and controls (delegated to the core) ------------------------------
    @property
    def requests(self) -> list[tuple[str, dict[str, Any]]]:
        """Every call as (method, params); params are wire values (complex ones JSON strings)."""
        return self.core.requests

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[dict[str, Any]]:
        return self.core.calls(method, chat_id)

    def fail_next(self, method: str = "*", status: int | str = 429, **kwargs: Any) -> None:
        """e.g. fail_next("sendMessage", 429, retry_after=1) / 403 / 500 / "network"; chat_id=, times=."""
        self.core.fail_next(method, status, **kwargs)

    def user(self, user_id: int, first_name: str = "Test", language_code: str | None = "ru", **chat: Any) -> FakeUser:
        return FakeUser(self, user_id, first_name=first_name, language_code=language_code, **chat)

    def enqueue(self, update: dict[str, Any]) -> None:
        """Queue a raw update dict for the bot's getUpdates (FakeUser does this for you)."""
        if self.webhook.active:
            self.webhook.push(update)
            return
        self.updates.append(update)
        self._arrived.set()

    def make_bot(self, token: str = "42:TEST") -> Bot:
        session = AiohttpSession(api=TelegramAPIServer.from_base(self.base_url))
        return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode="HTML"))

    # --- server lifecycle -------------------------------------------------------------------
    async def __aenter__(self) -> FakeTelegram:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        # handler_cancellation: a long poll abandoned by the bot must not linger
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing = True
        self._arrived.set()  # release pending long polls so shutdown does not wait for them
        await self.webhook.close()
        self.core.holds.release_all()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # --- HTTP ---------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        if self.token is not None and token != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params, files = await _read_params(request)
        with contextlib.suppress(ValueError):
            self.core.bot_user["id"] = int(token.split(":")[0])
        try:
            if self.webhook.handles(method):
                status, body = self.webhook.answer(self.core, method, params, self.updates)
            elif method.lower() == "getupdates":
                status, body = await self._get_updates(method, params)
            else:
                if hold := self.core.holds.take(method, params):
                    await hold.until_released()  # a client that gives up first cancels this handler
                if self.jitter:
                    await asyncio.sleep(self._random.uniform(0, self.jitter))
                status, body = self.core.handle(method, params, files)
                if self.latency:
                    await asyncio.sleep(self.latency)
        except NetworkFailure:
            if request.transport is not None:
                request.transport.close()  # the bot sees a dropped connection, not an HTTP error
            return web.Response(status=500)
        return web.json_response(body, status=status)

    async def _get_updates(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            self.core.check(method, params)
        except u.ApiError as error:
            return error.status, error.body
        if self.webhook.active:
            return 409, {
                "ok": False,
                "error_code": 409,
                "description": "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            }
        offset = u.param_int(params, "offset") or 0
        limit = u.param_int(params, "limit") or 100
        if "allowed_updates" in params:  # absent: keep the previous setting, as Telegram does
            self._allowed = u.param_json(params, "allowed_updates") or []
        self._poll_generation += 1
        generation = self._poll_generation
        self.polling.set()
        self._arrived.set()  # wake an older poll so it ends with 409 Conflict
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout") or 0)
        while not (self._pending(offset) or self._closing) and loop.time() < deadline:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), deadline - loop.time())
            if generation != self._poll_generation:  # a newer getUpdates took over, as Telegram does
                return 409, {
                    "ok": False,
                    "error_code": 409,
                    "description": "Conflict: terminated by other "
                    "getUpdates request; make sure that only one bot instance is running",
                }
        return 200, {"ok": True, "result": [] if self._closing else self._pending(offset)[:limit]}

    def _pending(self, offset: int) -> list[dict[str, Any]]:
        """Unconfirmed updates (offset confirms older ones); types outside allowed_updates are
        dropped, so a bot that forgot to allow e.g. callback_query never sees clicks, as in production."""
        allowed = self._allowed or DEFAULT_UPDATE_TYPES
        self.updates = [upd for upd in self.updates if upd["update_id"] >= offset and any(k in upd for k in allowed)]
        return self.updates

    async def _download(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self.core.files:
            raise web.HTTPNotFound()
        return web.Response(body=self.core.files[file_id])


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Query string + JSON body, or url-encoded / multipart form (uploaded files kept apart)."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
            else:
                params[key] = value
    return params, files


class FakeUser(ChatSide):
    """A user of the fake server: actions become getUpdates updates; replies can be awaited."""

    def __init__(self, tg: FakeTelegram, user_id: int, **chat: Any) -> None:
        super().__init__(tg.core, user_id, **chat)
        self.tg = tg
        self.inbox: list[dict[str, Any]] = []  # bot messages/edits here not yet consumed by wait_reply
        self.events: list[dict[str, Any]] = []  # every bot message/edit here, in order
        self._changed = asyncio.Event()
        tg.core.listeners.append(self._on_event)

    def _on_event(self, event: str, payload: dict[str, Any]) -> None:
        if event in ("sent", "edited") and payload["chat"]["id"] == self.chat_id:
            self.inbox.append(payload)
            self.events.append(payload)
        self._changed.set()

    @property
    def history(self) -> list[Message]:
        """Every bot message and edit in this chat as it arrived (an edit is a new entry)."""
        return [u.to_message(m) for m in self.events]

    async def _deliver(self, update: dict[str, Any]) -> None:
        self.tg.enqueue(update)

    async def _wait_until(self, found: Callable[[], Any], timeout: float, what: str) -> Any:
        """Wait for the bot's traffic to show `found`. The default timeout only guards against a hang (on a
        busy machine a reply may take long); a short one is for checking the harness itself."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (result := found()) is None:
            if loop.time() >= deadline:
                raise AssertionError(
                    f"no {what} for chat {self.chat_id} within {timeout}s; recent requests: {self._recent()}"
                )
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), deadline - loop.time())
        return result

    async def wait_reply(
        self, timeout: float = HANG_GUARD, predicate: Callable[[Message], bool] | None = None
    ) -> Message:
        """The next bot message or edit in this chat not yet consumed.  With a predicate, the
        first matching one; those before it are consumed too ("wait until the bot says X")."""

        def take() -> Message | None:
            while self.inbox:
                message = u.to_message(self.inbox.pop(0))
                if predicate is None or predicate(message):
                    return message
            return None

        return await self._wait_until(take, timeout, "bot reply")

    async def wait_answer(self, timeout: float = HANG_GUARD) -> str | None:
        """Text of the callback answer to this user's last click (waits for it to arrive)."""
        last = self.query_ids[-1] if self.query_ids else None
        answer = await self._wait_until(
            lambda: next((a for a in self.core.answers if a["callback_query_id"] == last), None),
            timeout,
            "answerCallbackQuery",
        )
        return answer["text"]


@contextlib.asynccontextmanager
async def polling(dp: Dispatcher, bot: Bot, **kwargs: Any) -> AsyncIterator[asyncio.Task[None]]:
    """Run dp.start_polling(bot) in a task for the duration of the block, then stop it."""
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, **kwargs))
    try:
        yield task
    finally:
        while not task.done():
            try:
                await dp.stop_polling()
            except RuntimeError:  # "Polling is not started" yet: let it start, then stop it
                await asyncio.sleep(0.01)
        await task
