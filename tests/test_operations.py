"""Serving for operators, in-process: /healthz in both modes (healthy, then failing), /metrics, the webhook's
secret check, and a shutdown in both modes that finishes the updates already acknowledged to Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
from datetime import timedelta

import pytest
from aiogram.exceptions import TelegramRetryAfter

from bot.alerts.state import stale_after
from bot.clock import ManualClock
from bot.config import Settings
from bot.delivery import queue
from bot.delivery.sender import deliver_due
from bot.ediary import provider as provider_module
from bot.ediary.demo import DemoProvider
from bot.logging_setup import log_handler
from bot.observability import logcontext
from bot.observability.metrics import Metrics
from bot.serving.http import operator_server
from storage import links as links_repo
from storage import outbox
from storage import preferences as prefs_repo
from storage import users as users_repo
from tests.conftest import App
from tests.harness import FakeTelegram, eventually, polling
from tests.harness import updates as u
from tests.operations_support import (
    SECRET,
    WEBHOOK_PATH,
    GatedProvider,
    get,
    get_json,
    post_update,
    start_sender,
    webhook_app,
)

PARENT = 7001  # linked to p01, parent of s01 (5А) and s17 (9В)


def _command(update_id: int, user_id: int, text: str) -> dict[str, object]:
    user = u.user_dict(user_id, "Test", "en", None)
    chat = u.chat_dict(user_id, "private", user, None)
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": u.message_dict(update_id, chat, user, text=text, entities=entities)}


def _stale(app_settings: Settings) -> timedelta:
    return stale_after(timedelta(seconds=app_settings.poll_interval_seconds)) + timedelta(seconds=1)


# --- /healthz ------------------------------------------------------------------------------------


async def test_healthz_in_polling_mode_is_200_then_503_when_the_e_diary_has_not_been_read(app: App) -> None:
    await start_sender(app.ctx)
    async with operator_server(app.ctx, "127.0.0.1", 0) as port:
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200, body
        assert body["status"] == "ok"
        assert body["database"] == {"ok": True, "writable": True}
        assert body["lease"]["this_instance"] is True
        assert body["sender"]["state"] == "sending"
        assert body["provider"]["state"] == "starting"  # no poll yet, and the bot has only just started
        assert body["outbox"]["depth"] == 0

        app.clock.advance(seconds=_stale(app.ctx.settings).total_seconds())
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 503
        assert body["status"] == "failing"
        assert body["provider"]["state"] == "unreachable"


async def test_healthz_says_the_e_diary_is_read_and_when_then_fails_on_a_stuck_outbox(app: App) -> None:
    await start_sender(app.ctx)
    app.ctx.poll.last_success = app.clock.now()
    paused = app.clock.now() + timedelta(hours=1)
    app.ctx.delivery.throttle.pause(paused)  # e.g. Telegram's flood control: nothing is sent meanwhile
    await outbox.enqueue(app.db, chat_id=5, method="send_message", payload={}, kind="grades", now=app.clock.now())
    async with operator_server(app.ctx, "127.0.0.1", 0) as port:
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200, body
        assert body["provider"]["state"] == "reachable"
        assert body["provider"]["last_successful_poll"] == app.clock.now().isoformat(timespec="seconds")
        assert body["sender"]["state"] == "paused"
        assert body["outbox"] == {"ok": True, "depth": 1, "blocked": 0, "oldest_due_age_seconds": 0.0}

        app.clock.advance(minutes=11)
        app.ctx.poll.last_success = app.clock.now()
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 503
        assert body["outbox"]["ok"] is False and body["outbox"]["oldest_due_age_seconds"] == 660.0


async def test_healthz_without_the_outbox_sender_or_a_database_is_503(app: App) -> None:
    async with operator_server(app.ctx, "127.0.0.1", 0) as port:
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 503 and body["sender"] == {"ok": False, "state": "off"}
        db, app.ctx.db = app.ctx.db, None
        try:
            status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        finally:
            app.ctx.db = db
        assert status == 503 and body["database"] == {"ok": False, "error": "not open"}


async def test_healthz_on_the_webhook_server_is_200_then_503(
    settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    async with webhook_app(settings, clock, provider) as web:
        await start_sender(web.ctx)
        status, body = await get_json(f"{web.base_url}/healthz")
        assert status == 200, body
        clock.advance(seconds=_stale(settings).total_seconds())
        status, body = await get_json(f"{web.base_url}/healthz")
        assert status == 503 and body["provider"]["state"] == "unreachable"


# --- the webhook ---------------------------------------------------------------------------------


async def test_an_update_without_the_secret_is_refused_and_not_processed(
    settings: Settings, clock: ManualClock, provider: DemoProvider
) -> None:
    async with webhook_app(settings, clock, provider) as web:
        url = f"{web.base_url}{WEBHOOK_PATH}"
        assert await post_update(url, _command(1, 7100, "/start"), secret=None) == 401
        assert await post_update(url, _command(2, 7100, "/start"), secret="wrong") == 401
        assert await post_update(url, _command(3, 7100, "/start"), secret=SECRET) == 200
        await eventually(lambda: web.session.sent("sendMessage", 7100), "the answer to the update with the secret")
        assert len(web.session.sent("sendMessage", 7100)) == 1  # that one only
        _, text = await get(f"{web.base_url}/metrics")
        assert 'ediary_updates_total{outcome="handled",type="message"} 1.0' in text


async def test_webhook_shutdown_finishes_an_update_already_answered_200(
    settings: Settings,
    clock: ManualClock,
    provider: DemoProvider,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(provider_module, "VIEW_READ_SECONDS", 600.0)  # the gate, not the deadline, decides
    caplog.set_level(logging.INFO, logger="bot.serving.drain")
    gated = GatedProvider(provider)
    async with webhook_app(settings, clock, gated.as_provider()) as web:
        await users_repo.touch_user(web.ctx.database, PARENT, "en", clock.now())
        await links_repo.add_link(web.ctx.database, PARENT, "p01", "parent", clock.now())
        assert await post_update(f"{web.base_url}{WEBHOOK_PATH}", _command(1, PARENT, "/marks"), SECRET) == 200
        await gated.entered.wait()

        stopping = asyncio.create_task(web.runner.cleanup())
        await eventually(lambda: "waiting for 1 update(s) being handled" in caplog.text, "shutdown waits")
        assert web.ctx.db is not None  # nothing closed under the handler
        gated.gate.set()
        await stopping

        assert web.session.sent("sendMessage", PARENT), "the acknowledged update was answered"
        assert web.ctx.db is None  # and then the app closed


async def test_polling_shutdown_finishes_the_updates_already_confirmed(
    settings: Settings,
    clock: ManualClock,
    provider: DemoProvider,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.app import create_dispatcher

    monkeypatch.setattr(provider_module, "VIEW_READ_SECONDS", 600.0)
    caplog.set_level(logging.INFO, logger="bot.serving.drain")
    gated = GatedProvider(provider)
    async with FakeTelegram() as tg:
        bot = tg.make_bot()
        dp = create_dispatcher(
            settings, clock=clock, provider=gated.as_provider(), run_scheduler=False, set_commands=False
        )
        running = polling(dp, bot)
        await running.__aenter__()
        stopped = False
        try:
            await tg.polling.wait()
            db = dp["ctx"].database
            await users_repo.touch_user(db, PARENT, "en", clock.now())
            await links_repo.add_link(db, PARENT, "p01", "parent", clock.now())
            user = tg.user(PARENT, language_code="en")
            await user.send("/marks")
            await gated.entered.wait()

            stopping = asyncio.create_task(running.__aexit__(None, None, None))
            await eventually(lambda: "waiting for 1 update(s) being handled" in caplog.text, "shutdown waits")
            gated.gate.set()
            await stopping
            stopped = True
            assert (await user.wait_reply()).text
        finally:
            gated.gate.set()
            if not stopped:
                await running.__aexit__(None, None, None)
            await bot.session.close()


# --- /metrics ------------------------------------------------------------------------------------


async def test_metrics_count_updates_provider_calls_flood_waits_and_the_outbox(app: App) -> None:
    await app.link(PARENT, "p01", "parent")
    parent = app.client(PARENT, language_code="en")
    await parent.send("/start")
    await parent.send("/marks")
    app.session.fail_next("sendMessage", 429, retry_after=1)
    with contextlib.suppress(TelegramRetryAfter):  # Telegram refuses the answer: the handler fails
        await parent.send("/start")
    prefs = await prefs_repo.get_preferences(app.db, PARENT)
    await queue.queue_message(app.ctx, PARENT, prefs, kind="grades", text="5", dedupe_key="g1", now=app.clock.now())
    await queue.queue_message(app.ctx, PARENT, prefs, kind="grades", text="5", dedupe_key="g1", now=app.clock.now())

    async with operator_server(app.ctx, "127.0.0.1", 0) as port:
        status, text = await get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    assert 'ediary_updates_total{outcome="handled",type="message"} 2.0' in text
    assert 'ediary_updates_total{outcome="error",type="message"} 1.0' in text
    assert 'ediary_handler_seconds_count{type="message"} 3.0' in text
    assert 'ediary_provider_requests_total{endpoint="people"}' in text
    assert 'ediary_provider_requests_total{endpoint="grades"}' in text
    assert 'ediary_telegram_flood_waits_total{method="sendMessage"} 1.0' in text
    assert 'ediary_outbox_depth{status="pending"} 1.0' in text
    assert 'ediary_alerts_queued_total{kind="grades"} 1.0' in text  # the second was the same alert again

    app.clock.advance(seconds=5)  # past the 429's pause: the sender delivers the queued alert
    await deliver_due(app.ctx)
    async with operator_server(app.ctx, "127.0.0.1", 0) as port:
        _, text = await get(f"http://127.0.0.1:{port}/metrics")
    assert 'ediary_alerts_sent_total{kind="grades"} 1.0' in text


def test_each_app_counts_in_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.update_handled("message", "handled", 0.01)
    assert b'ediary_updates_total{outcome="handled",type="message"} 1.0' in first.render()
    assert b"ediary_updates_total{" not in second.render()


# --- logs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_log_line_is_one_line_with_its_update_and_no_token_or_code(log_format: str) -> None:
    stream = io.StringIO()
    logger = logging.getLogger(f"tests.operations.{log_format}")
    logger.addHandler(log_handler(log_format, stream))
    logger.propagate = False
    try:
        with logcontext.for_update(4242):
            logger.warning("token 123456:AAE-abcdefghijklmnopqrstuvwxyz0123 code K7QF-93XM-RT2P\nsecond line")
        with logcontext.for_job("poll"):
            try:
                raise RuntimeError("boom")
            except RuntimeError:
                logger.exception("job failed")
    finally:
        logger.handlers.clear()
    first, second = stream.getvalue().splitlines()
    assert "AAE-abc" not in first and "K7QF" not in first and "<token>" in first and "<code>" in first
    if log_format == "json":
        assert json.loads(first)["update_id"] == 4242
        entry = json.loads(second)
        assert entry["job"] == "poll" and "RuntimeError: boom" in entry["exception"]
    else:
        assert "[update 4242]" in first
        assert "[job poll]" in second and "RuntimeError: boom" in second
