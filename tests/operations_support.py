"""Helpers for the operations tests: the webhook server in-process, the outbox sender started as in
production, a provider whose reads wait at a gate (an update still being handled), and HTTP reads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import aiohttp
from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.app import create_dispatcher
from bot.clock import ManualClock
from bot.config import Settings
from bot.context import AppContext
from bot.delivery.sender import run_sender
from bot.ediary.model import Grade
from bot.ediary.provider import EdiaryProvider
from bot.serving.health import SENDER_TASK
from bot.serving.http import listen, new_runner
from bot.serving.webhook import build_webhook_app
from tests.harness import MockedSession, eventually, make_bot

SECRET = "s3cret-Token_1"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram/updates"


class GatedProvider:
    """The demo school, but student_grades waits at `gate` (say after `entered`): a handler in flight."""

    def __init__(self, provider: EdiaryProvider) -> None:
        self.provider = provider
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.provider, name)

    async def student_grades(self, student_id: str, start: date, end: date) -> list[Grade]:
        self.entered.set()
        await self.gate.wait()
        return await self.provider.student_grades(student_id, start, end)

    async def close(self) -> None:
        """The fixture that opened the demo school closes it."""

    def as_provider(self) -> EdiaryProvider:
        return cast(EdiaryProvider, self)


async def start_sender(ctx: AppContext) -> None:
    """The outbox sender as the app starts it (health looks for its task), holding the lease."""
    ctx.tasks.append(asyncio.create_task(run_sender(ctx), name=SENDER_TASK))
    await eventually(lambda: ctx.lease.held, "the sender holds the lease")


@dataclass
class WebhookApp:
    dp: Dispatcher
    bot: Bot
    session: MockedSession
    runner: web.AppRunner
    base_url: str

    @property
    def ctx(self) -> AppContext:
        return cast(AppContext, self.dp["ctx"])


@asynccontextmanager
async def webhook_app(settings: Settings, clock: ManualClock, provider: EdiaryProvider) -> AsyncIterator[WebhookApp]:
    """The webhook server of bot/serving on 127.0.0.1:<any port>, on a mocked Bot API; no scheduler."""
    dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
    session = MockedSession()
    bot = make_bot(session)
    runner = new_runner(build_webhook_app(dp, bot, SECRET, WEBHOOK_PATH))
    await runner.setup()
    try:
        port = await listen(runner, "127.0.0.1", 0, "webhook server", "WEBHOOK_PORT")
        yield WebhookApp(dp, bot, session, runner, f"http://127.0.0.1:{port}")
    finally:
        dp["ctx"].provider = None  # its owner (a fixture) closes it
        await runner.cleanup()


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    status, text = await get(url)
    return status, json.loads(text)


async def post_update(url: str, update: dict[str, Any], secret: str | None) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with aiohttp.ClientSession() as http, http.post(url, json=update, headers=headers) as response:
        return response.status
