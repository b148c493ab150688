"""The credentials feature: the admins get one message per problem with the e-diary's credentials, in their
own language, a warning a day before a token the provider cannot renew expires, and "working again" once;
nothing is repeated after a restart. The provider is the demo school with an auth status the test sets."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import Clock, ManualClock, SystemClock
from bot.config import Settings
from bot.credentials.watch import check_credentials, check_every
from bot.ediary.demo import DemoProvider
from bot.ediary.model import AuthStatus
from bot.ediary.provider import ProviderAuthError, ProviderUnavailable
from storage import outbox
from storage import users as users_repo
from tests.conftest import App, make_settings, running_app
from tests.demo_school import copy_demo_school

RU_ADMIN, EN_ADMIN = 900, 901
REJECTED = "Дневник.ру rejects DNEVNIK_TOKEN: set a new one, or run `ediary-bot dnevnik authorize`"


class CredentialsProvider:
    """The demo school, with the credentials' state a test sets and an e-diary that may refuse to answer."""

    def __init__(self, demo: DemoProvider, name: str) -> None:
        self.demo = demo
        self.name = name
        self.status = AuthStatus()
        self.failure: Exception | None = None
        self.asked = 0

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.demo, attribute)

    def auth_status(self) -> AuthStatus:
        return self.status

    async def list_classes(self) -> list[str]:
        self.asked += 1
        if self.failure is not None:
            raise self.failure
        return await self.demo.list_classes()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, admin_ids=f"{RU_ADMIN},{EN_ADMIN}")


async def open_app(settings: Settings, clock: Clock, name: str = "dnevnik"):
    await copy_demo_school(settings.demo_database_path, clock)
    demo = await DemoProvider.open(settings.demo_database_path, clock)
    return demo, CredentialsProvider(demo, name)


@pytest.fixture
async def provider(settings: Settings, clock: ManualClock) -> AsyncIterator[CredentialsProvider]:
    demo, wrapped = await open_app(settings, clock)
    yield wrapped
    await demo.close()


@pytest.fixture
async def app(settings: Settings, clock: ManualClock, provider: CredentialsProvider) -> AsyncIterator[App]:
    async with running_app(settings, clock, provider) as started:  # type: ignore[arg-type]
        await users_repo.touch_user(started.db, EN_ADMIN, "en", clock.now())  # the other admin never wrote
        yield started


async def texts(app: App, admin: int) -> list[str]:
    return [item.payload["text"] for item in await outbox.items_for_chat(app.db, admin)]


async def run(app: App) -> int:
    app.clock.advance(seconds=check_every(app.ctx.settings))
    return await check_credentials(app.ctx)


async def test_a_problem_reaches_every_admin_once_in_their_language(app, provider, caplog):
    assert await run(app) == 0  # all well: nothing to say
    provider.status = AuthStatus(refreshable=False, problem=REJECTED)
    with caplog.at_level(logging.INFO, logger="bot.credentials"):
        assert await run(app) == 2
        assert await run(app) == 0  # every later round: the same problem, nothing new
    [ru] = await texts(app, RU_ADMIN)
    [en] = await texts(app, EN_ADMIN)
    assert ru.startswith("⚠️ <b>Бот не может читать электронный дневник (Дневник.ру)</b>")
    assert en.startswith("⚠️ <b>The bot cannot read the e-diary (Дневник.ру)</b>")
    assert "<code>Дневник.ру rejects DNEVNIK_TOKEN: set a new one, or run `ediary-bot dnevnik authorize`</code>" in ru
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [f"credentials: dnevnik refuses the bot's credentials: {REJECTED}"]  # the log says what to run

    provider.status = AuthStatus(refreshable=False, problem="DNEVNIK_TOKEN lacks the scope FriendsAndRelatives")
    assert await run(app) == 2  # another problem is news
    assert "FriendsAndRelatives" in (await texts(app, EN_ADMIN))[-1]


async def test_working_again_is_said_once_when_the_e_diary_answers(app, provider):
    provider.status = AuthStatus(problem=REJECTED)
    assert await run(app) == 2
    provider.status = AuthStatus()
    provider.failure = ProviderUnavailable("down")  # no problem known, but nothing proves it works yet
    assert await run(app) == 0
    provider.failure = ProviderAuthError("still refused")
    assert await run(app) == 0
    provider.failure = None
    assert await run(app) == 2
    assert await run(app) == 0
    asked = provider.asked
    assert await run(app) == 0 and provider.asked == asked  # all well again: the e-diary is not asked
    assert (await texts(app, RU_ADMIN))[-1] == (
        "✅ <b>Бот снова читает электронный дневник (Дневник.ру)</b>\n"
        "Электронный дневник снова принимает учётные данные бота: оценки, расписание и уведомления снова обновляются."
    )
    assert (await texts(app, EN_ADMIN))[-1].startswith("✅ <b>The bot reads the e-diary again (Дневник.ру)</b>")

    provider.status = AuthStatus(problem=REJECTED)  # the same problem again, later: a new notice
    assert await run(app) == 2
    assert len(await texts(app, RU_ADMIN)) == 3


async def test_a_restart_neither_repeats_a_notice_nor_forgets_a_problem(settings, clock, provider):
    provider.status = AuthStatus(problem=REJECTED)
    async with running_app(settings, clock, provider) as first:  # type: ignore[arg-type]
        assert await run(first) == 2
    async with running_app(settings, clock, provider) as second:  # type: ignore[arg-type]
        assert await run(second) == 0
        provider.status = AuthStatus()  # fixed while the bot was down: the new process has not met it
        assert await run(second) == 2
        assert (await texts(second, RU_ADMIN))[-1].startswith("✅")


async def test_a_token_that_cannot_renew_itself_is_announced_a_day_ahead(settings, clock):
    demo, provider = await open_app(settings, clock, name="mesh")
    try:
        async with running_app(settings, clock, provider) as app:  # type: ignore[arg-type]
            expires = clock.now() + timedelta(hours=30)
            provider.status = AuthStatus(expires_at=expires, refreshable=True)
            clock.advance(hours=7)
            assert await check_credentials(app.ctx) == 0  # it renews itself
            provider.status = AuthStatus(expires_at=expires, refreshable=False)
            clock.set(expires - timedelta(hours=24, minutes=1))
            assert await check_credentials(app.ctx) == 0  # more than a day ahead
            clock.advance(minutes=1)
            assert await check_credentials(app.ctx) == 2
            assert await run(app) == 0
            [ru] = await texts(app, RU_ADMIN)
            assert ru.startswith("⏳ <b>Токен электронного дневника (МЭШ) истекает 26 ноября, 16:00</b>")
            clock.set(expires + timedelta(minutes=1))
            assert await check_credentials(app.ctx) == 0  # that expiry was announced
            provider.status = AuthStatus(expires_at=expires + timedelta(days=7), refreshable=False)
            assert await check_credentials(app.ctx) == 0  # staff gave it a new token: a week ahead
    finally:
        await demo.close()


async def test_an_expired_token_is_announced_on_the_real_clock(settings):
    clock = SystemClock(settings.timezone)
    demo, provider = await open_app(settings, clock, name="mesh")
    try:
        async with running_app(settings, clock, provider) as app:  # type: ignore[arg-type]
            await users_repo.touch_user(app.db, EN_ADMIN, "en", clock.now())
            provider.status = AuthStatus(expires_at=clock.now() - timedelta(minutes=5), refreshable=False)
            assert await check_credentials(app.ctx) == 2
            assert "(МЭШ) expired on" in (await texts(app, EN_ADMIN))[0]
    finally:
        await demo.close()


async def test_only_the_instance_holding_the_lease_tells_the_admins(settings, clock, provider):
    provider.status = AuthStatus(problem=REJECTED)
    async with (
        running_app(settings, clock, provider) as first,  # type: ignore[arg-type]
        running_app(settings, clock, provider) as second,  # type: ignore[arg-type]
    ):
        assert await check_credentials(first.ctx) == 2
        assert await check_credentials(second.ctx) == 0
        assert len(await texts(second, RU_ADMIN)) == 1


def test_it_checks_as_often_as_the_poll_at_most_every_five_minutes(tmp_path: Path):
    assert check_every(make_settings(tmp_path, poll_interval_seconds=60)) == 60
    assert check_every(make_settings(tmp_path, poll_interval_seconds=3600)) == 300


async def test_without_admins_the_log_alone_says_it_once(tmp_path, clock, provider, caplog):
    provider.status = AuthStatus(problem=REJECTED)
    async with running_app(make_settings(tmp_path, admin_ids=""), clock, provider) as app:  # type: ignore[arg-type]
        with caplog.at_level(logging.ERROR, logger="bot.credentials"):
            assert await run(app) == 0
            assert await run(app) == 0
        assert [r.getMessage() for r in caplog.records] == [
            f"credentials: dnevnik refuses the bot's credentials: {REJECTED}"
        ]
