"""Shared fixtures: the real Dispatcher on a temporary database and demo school, with a manual clock.

`app.client(user_id)` gives a BotClient that sends and clicks like a user; `app.link(...)` links an
account directly in storage for tests of features that need a linked user.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher

from bot.app import create_dispatcher, shutdown, startup
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.context import AppContext
from bot.ediary.demo import DemoProvider
from bot.ediary.provider import EdiaryProvider
from storage import links as links_repo
from storage.db import Database
from tests.demo_school import copy_demo_school
from tests.harness import BotClient, MockedSession, make_bot

# A Wednesday in the second quarter of the demo school's year.
TEST_NOW = datetime(2026, 11, 25, 10, 0)
ADMIN_ID = 900


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "_env_file": None,
        "bot_token": "42:TEST",
        "database_path": tmp_path / "bot.sqlite3",
        "demo_database_path": tmp_path / "demo.sqlite3",
        "admin_ids": str(ADMIN_ID),
        "bot_username": "ediary_test_bot",
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(TEST_NOW, "Europe/Moscow")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def per_student() -> bool:
    """The demo e-diary reads classes; a module parametrizing this (tests.alerts_story.BOTH_READ_MODES) runs
    its tests on a demo that reads only per student too (capabilities.class_reads False)."""
    return False


@pytest.fixture
async def provider(settings: Settings, clock: ManualClock, per_student: bool) -> AsyncIterator[DemoProvider]:
    await copy_demo_school(settings.demo_database_path, clock)
    demo = await DemoProvider.open(settings.demo_database_path, clock, per_student=per_student)
    yield demo
    await demo.close()


@dataclass
class App:
    dp: Dispatcher
    bot: Bot
    session: MockedSession
    ctx: AppContext

    @property
    def db(self) -> Database:
        assert self.ctx.db is not None
        return self.ctx.db

    @property
    def clock(self) -> ManualClock:
        return self.ctx.clock  # type: ignore[return-value]

    def client(self, user_id: int, *, language_code: str = "ru", **kwargs: object) -> BotClient:
        """A Telegram user in a private chat with the bot (shares this app's mocked session)."""
        return BotClient(self.dp, self.bot, user_id=user_id, language_code=language_code, **kwargs)

    async def link(self, user_id: int, person_id: str, role: str, *, language: str | None = "ru") -> None:
        """Link an account directly in storage (features other than linking start from here)."""
        from storage import users as users_repo

        await users_repo.touch_user(self.db, user_id, language, self.clock.now())
        await links_repo.add_link(self.db, user_id, person_id, role, self.clock.now())


@asynccontextmanager
async def running_app(
    settings: Settings, clock: ManualClock, provider: EdiaryProvider, *, close_provider: bool = False
) -> AsyncIterator[App]:
    """The real Dispatcher, started as in production, on a mocked Bot API session; no scheduler."""
    dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
    session = MockedSession()
    bot = make_bot(session)
    await startup(dp, bot)
    try:
        yield App(dp, bot, session, dp["ctx"])
    finally:
        if not close_provider:
            dp["ctx"].provider = None  # its owner (a fixture) closes it
        await shutdown(dp, bot)


@pytest.fixture
async def app(settings: Settings, clock: ManualClock, provider: DemoProvider) -> AsyncIterator[App]:
    async with running_app(settings, clock, provider) as started:
        yield started


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start the real `ediary-bot run` live in tests/test_e2e_*.py: `-m "not e2e"` is the fast loop."""
    for item in items:
        if item.path.name.startswith("test_e2e_"):
            item.add_marker(pytest.mark.e2e)
