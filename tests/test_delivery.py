"""The outbox sender delivers what features queue: every method, in order per chat, within Telegram's limits."""

from __future__ import annotations

import base64
import itertools
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import AppContext
from bot.delivery.ratelimit import SendThrottle
from bot.delivery.sender import deliver_due
from storage import outbox
from tests.conftest import App
from tests.harness.conditions import FloodLimits

# --- helpers shared by the delivery tests ------------------------------------------------------


def manual_sleep(ctx: AppContext) -> list[float]:
    """The sender's waits move the test's ManualClock instead of taking real time; returns what it slept."""
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        ctx.clock.advance(seconds=seconds)  # type: ignore[attr-defined]

    ctx.delivery.sleep = sleep
    return slept


def enforce_limits(app: App) -> FloodLimits:
    """Telegram's flood control in the mocked Bot API, measured on the test's clock."""
    return app.session.core.enforce_limits(lambda: app.clock.now().timestamp())


def send_times(app: App) -> list[tuple[int, datetime]]:
    """(chat id, clock time) of every message as Telegram accepts it."""
    times: list[tuple[int, datetime]] = []
    app.session.core.listeners.append(
        lambda event, message: times.append((message["chat"]["id"], app.clock.now())) if event == "sent" else None
    )
    return times


async def queue_text(app: App, chat_id: int, text: str, **kwargs: Any) -> int:
    item_id = await outbox.enqueue(
        app.db,
        chat_id=chat_id,
        method="send_message",
        payload={"text": text},
        kind=kwargs.pop("kind", "grade"),
        now=app.clock.now(),
        **kwargs,
    )
    assert item_id is not None
    return item_id


def texts(app: App, chat_id: int) -> list[str]:
    return [m.text for m in app.client(chat_id).messages if m.text]


# --- what arrives ------------------------------------------------------------------------------


async def test_a_queued_alert_reaches_the_parent_with_its_button_and_is_recorded_as_sent(app: App) -> None:
    button = InlineKeyboardButton(text="Все оценки", callback_data="g:s01")
    markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    item_id = await outbox.enqueue(
        app.db,
        chat_id=1001,
        method="send_message",
        kind="grade",
        now=app.clock.now(),
        payload={"text": "<b>Математика</b>: 5", "reply_markup": markup.model_dump(exclude_none=True)},
    )

    assert await deliver_due(app.ctx) == 1

    parent = app.client(1001)
    message = parent.last_message()
    assert message.text == "Математика: 5"
    assert message.entities and message.entities[0].type == "bold"  # the bot's default parse mode, HTML
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "g:s01"
    item = await outbox.get_item(app.db, item_id)
    assert item.status == "sent" and item.sent_message_id == message.message_id
    assert item.sent_at == app.clock.now().replace(microsecond=0)
    assert (await outbox.find_by_sent_message(app.db, 1001, message.message_id)).id == item_id
    assert await deliver_due(app.ctx) == 0  # nothing goes twice
    assert len(parent.messages) == 1


async def test_a_teachers_message_is_copied_and_an_answer_threads_under_it(app: App) -> None:
    parent = app.client(1001)
    question = await parent.send("Когда контрольная по математике?")
    copy_id = await outbox.enqueue(
        app.db,
        chat_id=2001,
        method="copy_message",
        kind="message",
        now=app.clock.now(),
        payload={"from_chat_id": 1001, "message_id": question.message_id, "caption": None},
    )
    assert await deliver_due(app.ctx) == 1
    teacher = app.client(2001)
    copied = teacher.last_message()
    assert copied.text == "Когда контрольная по математике?"
    assert (await outbox.get_item(app.db, copy_id)).sent_message_id == copied.message_id  # from MessageId

    for payload in (
        {"text": "Ответ записан", "parse_mode": None, "reply_to_message_id": copied.message_id},
        {"text": "Без исходного", "reply_to_message_id": 9999},
    ):  # long gone: sent anyway
        await outbox.enqueue(
            app.db, chat_id=2001, method="send_message", kind="message", now=app.clock.now(), payload=payload
        )
    manual_sleep(app.ctx)
    assert await deliver_due(app.ctx) == 2
    answer, orphan = teacher.messages[-2:]
    assert answer.reply_to_message.message_id == copied.message_id
    assert orphan.text == "Без исходного" and orphan.reply_to_message is None


async def test_documents_go_from_a_file_in_the_data_directory_or_from_queued_bytes(app: App) -> None:
    report = app.ctx.settings.data_dir / "exports" / "report.csv"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_bytes(b"subject;mark\nmath;5\n")
    await outbox.enqueue(
        app.db,
        chat_id=1001,
        method="send_document",
        kind="export",
        now=app.clock.now(),
        payload={"document": "exports/report.csv", "caption": "Оценки за четверть"},
    )
    await outbox.enqueue(
        app.db,
        chat_id=1002,
        method="send_document",
        kind="export",
        now=app.clock.now(),
        payload={"document_base64": base64.b64encode(b"%PDF-1.4 plan").decode(), "filename": "plan.pdf"},
    )

    assert await deliver_due(app.ctx) == 2

    from_file = app.client(1001).last_message()
    assert from_file.caption == "Оценки за четверть" and from_file.document.file_name == "report.csv"
    assert app.session.core.files[from_file.document.file_id] == b"subject;mark\nmath;5\n"
    from_bytes = app.client(1002).last_message().document
    assert from_bytes.file_name == "plan.pdf" and app.session.core.files[from_bytes.file_id] == b"%PDF-1.4 plan"


async def test_an_item_that_cannot_be_sent_as_queued_fails_with_a_log_line_and_the_chat_moves_on(
    app: App, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.delivery")
    broken = [
        await outbox.enqueue(
            app.db,
            chat_id=1001,
            method="send_message",
            kind="grade",
            now=app.clock.now(),
            payload={"txt": "секретная оценка"},
        ),
        await outbox.enqueue(
            app.db,
            chat_id=1001,
            method="send_message",
            kind="grade",
            now=app.clock.now(),
            payload={"text": "секретная оценка", "reply_markup": {"inline_keyboard": "no"}},
        ),
        await outbox.enqueue(
            app.db,
            chat_id=1001,
            method="send_document",
            kind="export",
            now=app.clock.now(),
            payload={"document": "/nonexistent/report.pdf"},
        ),
        await outbox.enqueue(
            app.db,
            chat_id=1001,
            method="send_document",
            kind="export",
            now=app.clock.now(),
            payload={"document_base64": "not base64!", "filename": "a.pdf"},
        ),
        await outbox.enqueue(
            app.db,
            chat_id=1001,
            method="copy_message",
            kind="message",
            now=app.clock.now(),
            payload={"from_chat_id": "1001", "message_id": 1},
        ),
    ]
    await queue_text(app, 1001, "Математика: 4")
    manual_sleep(app.ctx)

    assert await deliver_due(app.ctx) == 1

    assert texts(app, 1001) == ["Математика: 4"]
    assert app.session.sent("sendDocument") == [] and app.session.sent("copyMessage") == []
    for item_id in broken:
        item = await outbox.get_item(app.db, item_id)
        assert item.status == "failed" and item.last_error.startswith("invalid payload")
        assert f"outbox item {item_id} " in caplog.text
    assert "секретная" not in caplog.text
    assert await deliver_due(app.ctx) == 0


async def test_an_alert_deferred_to_the_end_of_quiet_hours_waits_and_does_not_hold_back_others(app: App) -> None:
    morning = app.clock.now() + timedelta(hours=9)
    await queue_text(app, 1001, "Новая оценка ночью", not_before=morning)
    await queue_text(app, 1001, "Сообщение от классного руководителя")

    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1001) == ["Сообщение от классного руководителя"]
    app.clock.advance(hours=8, minutes=59)
    assert await deliver_due(app.ctx) == 0
    app.clock.advance(minutes=1)
    assert await deliver_due(app.ctx) == 1
    assert texts(app, 1001)[-1] == "Новая оценка ночью"


async def test_each_chat_gets_its_messages_in_order_at_most_one_a_second(app: App) -> None:
    for n in range(1, 4):
        await queue_text(app, 1001, f"Родителю {n}")
        await queue_text(app, 1002, f"Ученику {n}")
    times = send_times(app)
    manual_sleep(app.ctx)
    start = app.clock.now()

    assert await deliver_due(app.ctx) == 6

    assert texts(app, 1001) == ["Родителю 1", "Родителю 2", "Родителю 3"]
    assert texts(app, 1002) == ["Ученику 1", "Ученику 2", "Ученику 3"]
    for chat in (1001, 1002):
        moments = [t for c, t in times if c == chat]
        assert all(b - a >= timedelta(seconds=1) for a, b in itertools.pairwise(moments))
    assert times[1][1] - start < timedelta(seconds=1)  # the second chat does not wait for the first one's gap
    assert app.clock.now() - start < timedelta(seconds=3)


async def test_messages_to_many_chats_go_at_an_even_pace_below_telegrams_30_a_second(app: App) -> None:
    assert app.ctx.settings.send_rate_per_second == 25
    limits = enforce_limits(app)
    for chat in range(3001, 3061):
        await queue_text(app, chat, "Замена: урок математики перенесён")
    times = send_times(app)
    manual_sleep(app.ctx)
    start = app.clock.now()

    assert await deliver_due(app.ctx) == 60

    moments = [t for _, t in times]
    assert len(moments) == 60 and limits.refused == []
    # after a quiet moment 4 may go at once, then one every 40 ms: never more than 28 in a second
    assert all(moments[i + 28] - moments[i] >= timedelta(seconds=1) for i in range(len(moments) - 28))
    assert all(b - a >= timedelta(milliseconds=40) for a, b in itertools.pairwise(moments[4:]))
    assert app.clock.now() - start < timedelta(seconds=2.5)  # but at the pace, not slower


async def test_a_group_gets_at_most_20_messages_a_minute(app: App) -> None:
    limits = enforce_limits(app)
    group = -1001234
    for n in range(25):
        await queue_text(app, group, f"Объявление {n}")
    times = send_times(app)
    manual_sleep(app.ctx)

    assert await deliver_due(app.ctx) == 25

    moments = [t for _, t in times]
    assert all(b - a >= timedelta(seconds=3) for a, b in itertools.pairwise(moments))
    assert limits.refused == [] and texts(app, group) == [f"Объявление {n}" for n in range(25)]


async def test_limit_caps_one_pass_and_the_rest_goes_next_time(app: App) -> None:
    for chat in (1001, 1002, 1003):
        await queue_text(app, chat, "Домашнее задание на завтра")

    assert await deliver_due(app.ctx, limit=2) == 2
    assert await deliver_due(app.ctx) == 1
    assert sum(len(texts(app, chat)) for chat in (1001, 1002, 1003)) == 3


def test_a_fractional_send_rate_is_still_a_pace_and_a_slow_one_has_no_burst() -> None:
    start = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    slow = SendThrottle(0.5)  # one message every 2 s
    slow.started(start)
    assert slow.ready_at(1002, start) == start + timedelta(seconds=2)
    brisk = SendThrottle(2.5)  # one every 0.4 s, two at once after a pause
    brisk.started(start)
    assert brisk.ready_at(1002, start) == start
    brisk.started(start)
    assert brisk.ready_at(1003, start) == start + timedelta(seconds=0.4)
    late = start + timedelta(seconds=0.5)  # a send a little late keeps the pace instead of drifting
    brisk.started(late)
    assert brisk.ready_at(1004, late) == start + timedelta(seconds=0.8)


def test_a_chats_next_message_is_spaced_from_telegrams_answer_with_a_margin() -> None:
    start = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    throttle = SendThrottle(25)
    throttle.started(start)
    answered = start + timedelta(milliseconds=300)  # a slow answer: Telegram may have counted it just now
    throttle.answered(1001, answered)
    assert throttle.ready_at(1001, answered) > answered + timedelta(seconds=1)
    assert throttle.ready_at(1002, answered) == answered
    throttle.answered(-1001, answered)
    assert throttle.ready_at(-1001, answered) > answered + timedelta(seconds=3)  # 20 a minute in a group
