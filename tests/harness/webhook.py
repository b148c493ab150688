"""Telegram's side of a webhook, for FakeTelegram: setWebhook / deleteWebhook / getWebhookInfo, and every
update POSTed to the registered URL with the X-Telegram-Bot-Api-Secret-Token header, one at a time and in
order, sent again until the bot answers 200 (as Telegram does: an update answered 200 is delivered).

`route` is where the POSTs really go when it differs from the registered URL: the reverse proxy in front
of a bot that listens on a port chosen at start (tests read it from the bot's log)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aiohttp

from . import updates as u

if TYPE_CHECKING:
    from .core import TelegramCore

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
METHODS = {"setwebhook", "deletewebhook", "getwebhookinfo"}
RETRY_PAUSE = 0.05  # seconds between attempts at an update the bot did not take (a real Telegram waits longer)


class WebhookDelivery:
    def __init__(self) -> None:
        self.url: str | None = None
        self.secret: str | None = None
        self.allowed_updates: list[str] = []
        self.route: str | None = None
        self.registered = asyncio.Event()  # set by setWebhook: the bot is up and listening
        self.statuses: list[int] = []  # the bot's HTTP answer to every POST, in order
        self.delivered: list[dict[str, Any]] = []  # updates the bot answered 200
        self._pending: list[dict[str, Any]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def active(self) -> bool:
        return self.url is not None

    def handles(self, method: str) -> bool:
        return method.lower() in METHODS

    def answer(
        self, core: TelegramCore, method: str, params: dict[str, Any], waiting: list[dict[str, Any]]
    ) -> tuple[int, dict[str, Any]]:
        """One webhook method (recorded and subject to injected failures like any other); `waiting` holds the
        updates queued for getUpdates, which a new webhook takes over unless told to drop them."""
        try:
            core.check(method, params)
        except u.ApiError as error:
            return error.status, error.body
        name = method.lower()
        if name == "getwebhookinfo":
            info = {"url": self.url or "", "has_custom_certificate": False, "pending_update_count": len(self._pending)}
            return 200, {"ok": True, "result": info}
        drop = str(params.get("drop_pending_updates", "")).lower() == "true"
        if name == "deletewebhook":
            waiting.extend(self._pending)
            self._pending.clear()
            self.url = self.secret = None
            self.registered.clear()
        else:
            self.url = str(params["url"])
            self.secret = params.get("secret_token")
            self.allowed_updates = u.param_json(params, "allowed_updates") or []
            self._pending.extend(waiting)
            waiting.clear()
            self._start()
            self.registered.set()
        if drop:
            self._pending.clear()
            waiting.clear()
        self._wake.set()
        return 200, {"ok": True, "result": True}

    def push(self, update: dict[str, Any]) -> None:
        self._pending.append(update)
        self._wake.set()

    def _start(self) -> None:
        if self._task is None:
            self._http = aiohttp.ClientSession()
            self._task = asyncio.create_task(self._deliver(), name="fake-telegram-webhook")

    async def _deliver(self) -> None:
        assert self._http is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending and self.url is not None:
                update = self._pending[0]
                if await self._post(update):
                    self._pending.pop(0)
                    self.delivered.append(update)
                else:
                    await asyncio.sleep(RETRY_PAUSE)

    async def _post(self, update: dict[str, Any]) -> bool:
        assert self._http is not None and self.url is not None
        headers = {SECRET_HEADER: self.secret} if self.secret else {}
        try:
            async with self._http.post(self.route or self.url, json=update, headers=headers) as response:
                self.statuses.append(response.status)
                return response.status == 200
        except aiohttp.ClientError:
            return False

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._http is not None:
            await self._http.close()
            self._http = None
