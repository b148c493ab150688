"""The real bot process delivers what another process queued in its database, through a 429 too."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from storage import outbox
from storage.db import Database
from tests.e2e import outbox_settled, running_bot
from tests.harness import FakeTelegram


async def queue(db: Database, chat_id: int, text: str, **payload: object) -> int:
    item_id = await outbox.enqueue(
        db,
        chat_id=chat_id,
        method="send_message",
        payload={"text": text, **payload},
        kind="grade",
        now=datetime.now(UTC),
    )
    assert item_id is not None
    return item_id


async def test_a_queued_alert_reaches_the_parent_and_a_429_delays_the_next_without_losing_or_doubling_it(
    tmp_path: Path,
) -> None:
    async with FakeTelegram(token="42:TEST") as tg, running_bot(tmp_path, tg) as bot:
        parent = tg.user(1001, first_name="Анна", language_code="ru")
        db = await Database.open(tmp_path / "bot.sqlite3")
        try:
            button = InlineKeyboardButton(text="Все оценки", callback_data="g:s01")
            markup = InlineKeyboardMarkup(inline_keyboard=[[button]]).model_dump(exclude_none=True)
            first = await queue(db, 1001, "<b>Математика</b>: 5", reply_markup=markup)
            alert = await parent.wait_reply()
            assert alert.text == "Математика: 5"
            assert alert.reply_markup.inline_keyboard[0][0].text == "Все оценки"

            tg.fail_next("sendMessage", 429, retry_after=1)
            loop = asyncio.get_running_loop()
            queued_at = loop.time()
            second = await queue(db, 1001, "Физика: 4")
            late = await parent.wait_reply()
            assert late.text == "Физика: 4"
            assert loop.time() - queued_at >= 1.0  # it waited out retry_after

            await outbox_settled(db)  # a wrong second copy would have been sent by now
            assert [m.text for m in parent.history] == ["Математика: 5", "Физика: 4"]
            assert len(tg.sent("sendMessage", chat_id=1001)) == 3  # the two messages and the refused try
            for item_id in (first, second):
                item = await outbox.get_item(db, item_id)
                assert item.status == "sent" and item.sent_message_id is not None
        finally:
            await db.close()
        assert "Telegram flood control for chat 1001: its messages wait 1 s" in bot.log()  # that chat only
    log = bot.log()
    assert "lease acquired" in log and "lease released" in log
    assert "Физика" not in log and "Математика" not in log
