"""What Telegram answers back: a 429 holds its chat (the whole bot when Telegram limits the bot), 5xx and
network errors back off that chat (the whole bot when Telegram seems down), 403 holds a chat until its user
writes again, 400 fails the item. Nothing is lost, nothing goes twice."""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.delivery.outcomes import OUTAGE_PAUSE_CAP, retry_delay
from bot.delivery.sender import deliver_due
from storage import outbox
from storage import users as users_repo
from tests.conftest import App, make_settings
from tests.harness import NETWORK
from tests.test_delivery import manual_sleep, queue_text, texts

MAX_ATTEMPTS = 3


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, max_send_attempts=MAX_ATTEMPTS)


@pytest.fixture(autouse=True)
def _quiet_logs_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.delivery")


async def test_a_429_for_one_chat_holds_that_chat_for_retry_after_and_the_others_go_on(app: App, caplog) -> None:
    first = await queue_text(app, 1001, "Математика: 5")
    await queue_text(app, 1001, "Физика: 4")
    await queue_text(app, 1002, "Русский язык: 4")
    app.session.fail_next("sendMessage", 429, retry_after=7, chat_id=1001)

    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1002) == ["Русский язык: 4"]  # another family's alert does not wait
    item = await outbox.get_item(app.db, first)
    assert item.status == "pending" and item.attempts == 0 and "429" in item.last_error
    assert "Telegram flood control for chat 1001: its messages wait 7 s" in caplog.text
    assert "all sending" not in caplog.text

    app.clock.advance(seconds=6)
    assert await deliver_due(app.ctx) == 0
    assert len(app.session.sent("sendMessage", chat_id=1001)) == 1
    app.clock.advance(seconds=1)
    manual_sleep(app.ctx)
    assert await deliver_due(app.ctx) == 2
    assert texts(app, 1001) == ["Математика: 5", "Физика: 4"]  # still in order
    assert (await outbox.get_item(app.db, first)).attempts == 1


async def test_429s_for_two_chats_at_once_mean_the_bot_is_limited_and_pause_every_chat(app: App, caplog) -> None:
    for chat in range(1001, 1011):
        await queue_text(app, chat, "Замена урока")
    app.session.fail_next("sendMessage", 429, retry_after=5, times=2)

    await deliver_due(app.ctx)

    tried = len(app.session.sent("sendMessage"))
    assert tried < 10  # the rest waits out the bot's limit
    assert "all sending paused for 5 s" in caplog.text
    app.clock.advance(seconds=4)
    assert await deliver_due(app.ctx) == 0
    assert len(app.session.sent("sendMessage")) == tried
    app.clock.advance(seconds=1)
    manual_sleep(app.ctx)
    await deliver_due(app.ctx)
    assert all(texts(app, chat) == ["Замена урока"] for chat in range(1001, 1011))


async def test_a_429_asking_for_longer_than_any_chat_limit_pauses_every_chat(app: App, caplog) -> None:
    await queue_text(app, 1001, "Математика: 5")
    app.session.fail_next("sendMessage", 429, retry_after=300)

    assert await deliver_due(app.ctx) == 0
    await queue_text(app, 1002, "Физика: 4")
    app.clock.advance(seconds=299)
    assert await deliver_due(app.ctx) == 0
    assert app.session.sent("sendMessage", chat_id=1002) == []
    assert "all sending paused for 300 s" in caplog.text
    app.clock.advance(seconds=1)
    assert await deliver_due(app.ctx) == 2


async def test_repeated_429s_never_use_up_the_attempts(app: App) -> None:
    item_id = await queue_text(app, 1001, "Замена урока")
    manual_sleep(app.ctx)
    for _ in range(MAX_ATTEMPTS + 2):
        app.session.fail_next("sendMessage", 429, retry_after=1)
        assert await deliver_due(app.ctx) == 0
        app.clock.set((await outbox.get_item(app.db, item_id)).next_attempt_at)
    assert await deliver_due(app.ctx) == 1
    assert len(app.session.sent("sendMessage")) == MAX_ATTEMPTS + 3
    assert (await outbox.get_item(app.db, item_id)).status == "sent"


async def test_5xx_and_network_errors_are_retried_with_growing_backoff(app: App) -> None:
    app.ctx.delivery.rng = random.Random(7)
    item_id = await queue_text(app, 1001, "Математика: 3 → 4")
    app.session.fail_next("sendMessage", 502)
    app.session.fail_next("sendMessage", NETWORK)

    start = app.clock.now()
    assert await deliver_due(app.ctx) == 0
    item = await outbox.get_item(app.db, item_id)
    assert item.status == "pending" and item.attempts == 1 and "TelegramServerError" in item.last_error
    first_wait = item.next_attempt_at - start
    assert timedelta(seconds=5) <= first_wait <= timedelta(seconds=7)  # 5 s + up to 25 % jitter, whole seconds

    app.clock.advance(seconds=4)
    assert await deliver_due(app.ctx) == 0  # not due yet: no request
    assert len(app.session.sent("sendMessage")) == 1

    app.clock.set(item.next_attempt_at)
    retried_at = app.clock.now()
    assert await deliver_due(app.ctx) == 0
    item = await outbox.get_item(app.db, item_id)
    assert item.attempts == 2 and "TelegramNetworkError" in item.last_error
    assert timedelta(seconds=10) <= item.next_attempt_at - retried_at <= timedelta(seconds=13)

    app.clock.set(item.next_attempt_at)
    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1001) == ["Математика: 3 → 4"]


async def test_after_max_send_attempts_the_item_fails_with_one_log_line_and_no_text(app: App, caplog) -> None:
    item_id = await queue_text(app, 1001, "Иванов Пётр: 2 по физике")
    app.session.fail_next("sendMessage", 500, times=None)
    for _ in range(MAX_ATTEMPTS):
        await deliver_due(app.ctx)
        item = await outbox.get_item(app.db, item_id)
        app.clock.set(max(item.next_attempt_at, app.clock.now() + OUTAGE_PAUSE_CAP))

    item = await outbox.get_item(app.db, item_id)
    assert item.status == "failed" and item.attempts == MAX_ATTEMPTS
    assert len(app.session.sent("sendMessage")) == MAX_ATTEMPTS
    failures = [r for r in caplog.records if "failed after" in r.getMessage()]
    assert len(failures) == 1
    expected = f"outbox item {item_id} (grade) to chat 1001 failed after {MAX_ATTEMPTS} attempt(s)"
    assert expected in failures[0].getMessage()
    assert "Иванов" not in caplog.text and "физике" not in caplog.text

    await deliver_due(app.ctx)
    assert len(app.session.sent("sendMessage")) == MAX_ATTEMPTS  # given up for good
    app.session.core.clear_failures()
    await queue_text(app, 1001, "Новая оценка")
    assert await deliver_due(app.ctx) == 1


async def test_while_telegram_is_unreachable_queued_items_wait_instead_of_using_up_their_attempts(
    app: App, caplog
) -> None:
    ids = [await queue_text(app, chat, "Домашнее задание") for chat in range(1001, 1011)]
    app.session.fail_next("sendMessage", NETWORK, times=None)

    assert await deliver_due(app.ctx) == 0
    tried = len(app.session.sent("sendMessage"))
    assert 2 <= tried < 5  # errors for two chats: Telegram is down, the rest waits
    assert "Telegram failed for several chats: all sending paused for " in caplog.text
    assert sorted([(await outbox.get_item(app.db, i)).attempts for i in ids], reverse=True) == [1] * tried + [0] * (
        10 - tried
    )

    app.session.core.clear_failures()
    app.clock.advance(OUTAGE_PAUSE_CAP)
    manual_sleep(app.ctx)
    assert await deliver_due(app.ctx) == 10


async def test_a_server_error_for_one_chat_backs_off_that_chat_only_and_its_later_messages_stay_behind(
    app: App, caplog
) -> None:
    first = await queue_text(app, 1001, "Первое")
    await queue_text(app, 1001, "Второе")
    await queue_text(app, 1002, "Другому")
    app.session.fail_next("sendMessage", 500, chat_id=1001)
    manual_sleep(app.ctx)

    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1002) == ["Другому"]  # another chat does not pause for this one's error
    assert texts(app, 1001) == [] and "all sending paused" not in caplog.text
    app.clock.set((await outbox.get_item(app.db, first)).next_attempt_at)
    # "Второе" has waited longer than the retry of "Первое", but never overtakes it
    assert await deliver_due(app.ctx) == 2
    assert texts(app, 1001) == ["Первое", "Второе"]


async def test_a_user_who_blocked_the_bot_gets_everything_held_when_they_write_again(app: App, caplog) -> None:
    await app.link(1001, "p01", "parent")
    await app.link(1002, "p03", "parent")
    held = [await queue_text(app, 1001, "Математика: 5"), await queue_text(app, 1001, "Физика: 4")]
    await queue_text(app, 1002, "Русский язык: 5")
    app.session.fail_next("sendMessage", 403, chat_id=1001)
    manual_sleep(app.ctx)

    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1002) == ["Русский язык: 5"]
    assert not (await users_repo.get_user(app.db, 1001)).is_active
    for item_id in held:
        item = await outbox.get_item(app.db, item_id)
        assert item.status == "blocked" and item.attempts == 0
    assert "chat 1001 blocked the bot" in caplog.text

    later = await queue_text(app, 1001, "Замена: урок отменён")
    app.clock.advance(hours=2)
    assert await deliver_due(app.ctx) == 0
    assert len(app.session.sent("sendMessage", chat_id=1001)) == 1  # no more tries while blocked
    assert (await outbox.get_item(app.db, later)).status == "blocked"

    await app.client(1001).send("/start")  # they unblocked the bot and wrote
    assert (await users_repo.get_user(app.db, 1001)).is_active
    assert await deliver_due(app.ctx) == 3
    held_then_new = ["Математика: 5", "Физика: 4", "Замена: урок отменён"]
    assert texts(app, 1001)[-3:] == held_then_new  # after the /start greeting


async def test_chat_not_found_fails_that_item_and_never_loops(app: App, caplog) -> None:
    gone = await queue_text(app, 1001, "Математика: 5")
    await queue_text(app, 1002, "Физика: 4")
    app.session.fail_next("sendMessage", 400, chat_id=1001)

    assert await deliver_due(app.ctx) == 1
    item = await outbox.get_item(app.db, gone)
    assert item.status == "failed" and "chat not found" in item.last_error
    assert f"outbox item {gone} (grade) to chat 1001 failed after 1 attempt(s)" in caplog.text
    app.clock.advance(hours=1)
    assert await deliver_due(app.ctx) == 0
    assert len(app.session.sent("sendMessage", chat_id=1001)) == 1


async def test_a_group_that_removed_the_bot_fails_instead_of_waiting_forever(app: App) -> None:
    item_id = await queue_text(app, -1005, "Объявление для класса")
    app.session.fail_next("sendMessage", 403, description="Forbidden: bot was kicked from the group chat")

    assert await deliver_due(app.ctx) == 0
    assert (await outbox.get_item(app.db, item_id)).status == "failed"


def test_backoff_doubles_per_attempt_with_bounded_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    for attempts, base in ((1, 5), (2, 10), (3, 20), (6, 160), (12, 900), (40, 900)):
        for _ in range(50):
            delay = retry_delay(attempts, rng).total_seconds()
            assert base <= delay <= base * 1.25


async def test_a_garbled_answer_from_telegram_is_retried_not_dropped(app: App) -> None:
    item_id = await queue_text(app, 1001, "Математика: 5")
    app.session.respond("sendMessage", "<html>502 Bad Gateway</html>")  # a proxy's page instead of JSON

    assert await deliver_due(app.ctx) == 0
    item = await outbox.get_item(app.db, item_id)
    assert item.status == "pending" and item.attempts == 1 and "ClientDecodeError" in item.last_error

    app.session.core._overrides.pop("sendmessage")  # the harness has no public "stop responding" yet
    app.clock.set(item.next_attempt_at)
    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1001) == ["Математика: 5"]
