"""Tests of FakeTelegram, the HTTP Bot API for end-to-end tests (real aiogram session, long polling,
error injection, JSON and multipart bodies), against a tiny echo bot (not the real app)."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from tests.echo_bot import echo_dispatcher
from tests.harness import NETWORK, FakeTelegram, polling


async def test_fake_telegram_start_and_click_round_trip() -> None:
    dp = echo_dispatcher()
    async with FakeTelegram() as tg:
        bot = Bot("42:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
        user = tg.user(1001, first_name="Анна", language_code="ru")
        async with polling(dp, bot, polling_timeout=2):
            await user.send("/start")
            greeting = await user.wait_reply()
            assert greeting.text == "Привет, <b>Анна</b>!"  # no parse_mode on this bot: sent as is
            menu = await user.wait_reply()
            assert user.reply_keyboard() == ["📘 Оценки", "⚙️"]

            await user.click(menu, "Оценки за неделю")
            edited = await user.wait_reply()
            assert edited.message_id == menu.message_id and edited.text == "Оценки: 5, 4"
            assert await user.wait_answer() == "Готово"
            assert [m.text for m in user.messages] == ["Привет, <b>Анна</b>!", "Оценки: 5, 4"]
            assert [m.text for m in user.history] == ["Привет, <b>Анна</b>!", "Что показать?", "Оценки: 5, 4"]

            await user.send_photo()
            report = await user.wait_reply(predicate=lambda m: m.document is not None)
            assert report.caption == "Отчёт" and tg.core.files[report.document.file_id] == b"report"
    methods = {method for method, _ in tg.requests}
    assert {"getMe", "getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery", "sendDocument"} <= methods


async def test_fake_telegram_error_injection_and_unknown_methods() -> None:
    async with FakeTelegram() as tg:
        bot = tg.make_bot()
        user = tg.user(1002)
        try:
            tg.fail_next("sendMessage", 429, retry_after=1)
            with pytest.raises(TelegramRetryAfter) as retry:
                await bot.send_message(user.chat_id, "x")
            assert retry.value.retry_after == 1
            tg.fail_next("sendMessage", 403, chat_id=user.chat_id)
            with pytest.raises(TelegramForbiddenError):
                await bot.send_message(user.chat_id, "x")
            tg.fail_next("sendMessage", 500)
            with pytest.raises(TelegramServerError):
                await bot.send_message(user.chat_id, "x")
            tg.fail_next("sendMessage", NETWORK)
            with pytest.raises(TelegramNetworkError):
                await bot.send_message(user.chat_id, "x")
            await bot.send_message(user.chat_id, "<i>finally</i>")
            assert (await user.wait_reply()).html_text == "<i>finally</i>"
            with pytest.raises(TelegramNotFound, match="method not found"):
                await bot.get_chat_member(user.chat_id, user.user_id)
            assert (await bot.get_chat(user.chat_id)).id == user.chat_id
            with pytest.raises(AssertionError, match="no bot reply"):
                await user.wait_reply(timeout=0.05)
        finally:
            await bot.session.close()
    assert tg.sent("getChatMember") and len(tg.sent("sendMessage", chat_id=user.chat_id)) == 5


async def test_fake_telegram_long_polling_rules() -> None:
    async with FakeTelegram() as tg:
        bot = tg.make_bot()
        user = tg.user(1003)
        try:
            menu = await bot.send_message(
                user.chat_id,
                "m",
                reply_markup=InlineKeyboardMarkup(
                    inline_keyboard=[[InlineKeyboardButton(text="b", callback_data="d")]]
                ),
            )
            await user.click(menu, "b")
            await user.send("one")
            first = await bot.get_updates(allowed_updates=["message"])  # the click is dropped, as in Telegram
            assert [upd.message.text for upd in first] == ["one"]
            assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=0) == []

            older = asyncio.create_task(bot.get_updates(timeout=5))
            await asyncio.sleep(0.05)
            newer = asyncio.create_task(bot.get_updates(timeout=5))
            with pytest.raises(TelegramConflictError):
                await older
            await user.send("two")
            second = await newer
            assert [upd.message.text for upd in second] == ["two"]

            pending = asyncio.create_task(bot.get_updates(offset=second[-1].update_id + 1, timeout=30))
            await asyncio.sleep(0.05)
            started = time.monotonic()
            await tg.__aexit__(None, None, None)  # shut down while the long poll is pending
            assert await pending == [] and time.monotonic() - started < 1
        finally:
            await bot.session.close()


async def test_fake_telegram_accepts_json_and_multipart_bodies() -> None:
    import aiohttp

    async with FakeTelegram(token="42:TEST") as tg, aiohttp.ClientSession() as http:
        user = tg.user(1004)
        url = f"{tg.base_url}/bot42:TEST"
        markup = {"inline_keyboard": [[{"text": "ok", "callback_data": "ok"}]]}
        async with http.post(
            f"{url}/sendMessage", json={"chat_id": user.chat_id, "text": "json", "reply_markup": markup}
        ) as resp:
            assert (await resp.json())["result"]["reply_markup"] == markup
        form = aiohttp.FormData()
        form.add_field("chat_id", str(user.chat_id))
        form.add_field("document", b"a,b", filename="marks.csv")
        async with http.post(f"{url}/sendDocument", data=form) as resp:
            document = (await resp.json())["result"]["document"]
        assert document["file_name"] == "marks.csv" and tg.core.files[document["file_id"]] == b"a,b"
        async with http.get(f"{tg.base_url}/file/bot42:TEST/files/{document['file_id']}") as resp:
            assert await resp.read() == b"a,b"
        async with http.post(f"{tg.base_url}/bot1:WRONG/getMe") as resp:
            assert resp.status == 401
        tg.fail_next("sendMessage", 429, retry_after=7)
        async with http.post(f"{url}/sendMessage", data={"chat_id": "1", "text": "x"}) as resp:
            assert resp.status == 429 and await resp.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            }
        assert [m.text or m.document.file_name for m in user.messages] == ["json", "marks.csv"]
