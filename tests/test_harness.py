"""Tests of the test harness itself, against a tiny echo bot (not the real app)."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from tests.harness import NETWORK, BotClient, FakeTelegram, MockedSession, make_bot, polling
from tests.harness.updates import callback_dict, message_dict, render_html


def echo_dispatcher() -> Dispatcher:
    router = Router()
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="Оценки за неделю", callback_data="marks"),
        InlineKeyboardButton(text="Расписание", callback_data="timetable"),
    ]])

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        menu = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="📘 Оценки"), KeyboardButton(text="⚙️")]],
                                   resize_keyboard=True)
        await message.answer(f"Привет, <b>{message.from_user.first_name}</b>!", reply_markup=menu)
        await message.answer("Что показать?", reply_markup=keyboard)

    @router.callback_query(F.data == "marks")
    async def marks(query: CallbackQuery) -> None:
        await query.message.edit_text("Оценки: 5, 4", reply_markup=keyboard)
        await query.answer("Готово")

    @router.callback_query(F.data == "timetable")
    async def timetable(query: CallbackQuery) -> None:
        await query.message.edit_text("Расписание: нет уроков")  # no markup: the keyboard disappears
        await query.answer()

    @router.message(F.photo)
    async def photo(message: Message) -> None:
        await message.answer_document(BufferedInputFile(b"report", "report.txt"), caption="Отчёт")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        prefix = "re: " if message.reply_to_message else ""
        await message.answer(prefix + message.text)  # unescaped on purpose: see test_html_is_checked

    dp = Dispatcher()
    dp.include_router(router)
    return dp


# --- BotClient + MockedSession ------------------------------------------------------------

async def test_client_send_click_and_edit_in_place() -> None:
    bot = make_bot(MockedSession())
    client = BotClient(echo_dispatcher(), bot, user_id=7, first_name="Анна")

    await client.send("/start")
    greeting, menu = client.messages
    assert greeting.text == "Привет, Анна!" and greeting.html_text == "Привет, <b>Анна</b>!"
    assert client.reply_keyboard() == ["📘 Оценки", "⚙️"]
    assert client.last_message().text == "Что показать?"

    await client.click(menu, "Оценки")  # unique substring of "Оценки за неделю"
    assert len(client.messages) == 2  # edited in place, nothing new
    assert client.last_message().text == "Оценки: 5, 4"
    assert client.last_message().edit_date is not None
    assert client.last_answer() == "Готово"

    await client.click(menu, callback_data="timetable")  # stale object: the current message is clicked
    assert client.last_message().text == "Расписание: нет уроков"
    assert client.last_message().reply_markup is None
    assert client.last_answer() is None
    with pytest.raises(AssertionError, match="no inline button"):
        await client.click(menu, "Расписание")

    mine = await client.send("hello")
    await client.reply(mine, "again")
    assert client.last_message().text == "re: again"
    assert [m.message_id for m in client.messages] == [2, 3, 5, 7]  # one id sequence per chat, like Telegram
    session = bot.session
    assert [m.__api_method__ for m in session.sent(chat_id=7)][:2] == ["sendMessage", "sendMessage"]
    assert session.last_text(7) == "re: again"


async def test_client_group_chat_and_files() -> None:
    bot = make_bot()
    dp = echo_dispatcher()
    anna = BotClient(dp, bot, user_id=7, chat_type="group")
    boris = BotClient(dp, bot, user_id=8, chat_type="group", chat_id=anna.chat_id)
    assert anna.chat_id < 0

    await anna.send("hi")
    await boris.send_photo(caption="look")
    assert [m.text or m.caption for m in anna.messages] == ["hi", "Отчёт"]
    document = anna.last_message().document
    assert document.file_name == "report.txt"
    assert bot.session.core.files[document.file_id] == b"report"
    assert (await bot.download(document.file_id)).read() == b"report"

    first = await bot.send_message(anna.chat_id, "A")
    await bot.send_message(anna.chat_id, "B")
    await bot.edit_message_text("A2", chat_id=anna.chat_id, message_id=first.message_id)
    assert anna.last_message().text == "A2"  # the latest sent *or edited* message
    assert [m.text for m in anna.messages][-2:] == ["A2", "B"]  # edits stay where they were sent
    await bot.delete_message(anna.chat_id, first.message_id)
    assert anna.last_message().text == "B"


async def test_click_on_missing_button_fails_clearly() -> None:
    client = BotClient(echo_dispatcher(), make_bot())
    await client.send("/start")
    with pytest.raises(AssertionError, match="buttons: .*Оценки за неделю"):
        await client.click(client.last_message(), "Дневник")


# --- MockedSession errors ----------------------------------------------------------------------

async def test_mocked_session_error_injection_raises_aiogram_errors() -> None:
    session = MockedSession()
    bot = make_bot(session)
    session.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(5, "x")
    assert retry.value.retry_after == 3 and "retry after 3" in retry.value.message

    session.fail_next("sendMessage", 403, chat_id=6, times=2)
    await bot.send_message(5, "other chat is fine")
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
            await bot.send_message(6, "x")
    await bot.send_message(6, "unblocked")

    session.fail_next("*", 500)
    with pytest.raises(TelegramServerError):
        await bot.get_me()
    session.fail_next("sendMessage", NETWORK)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(5, "x")
    assert session.last_text(6) == "unblocked"


async def test_telegram_rules_are_enforced() -> None:
    bot = make_bot()
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "br"'):
        await bot.send_message(5, "a<br>b")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(5, "<b>open")
    sent = await bot.send_message(5, "same")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("same", chat_id=5, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=5, message_id=999)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(5, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="long", callback_data="x" * 65)]]))
    assert (await bot.get_me()).username == "ediary_test_bot"
    bot.session.respond("getChatMember", {"status": "member", "user": {"id": 5, "is_bot": False, "first_name": "A"}})
    assert (await bot.get_chat_member(5, 5)).status == "member"
    assert render_html('<a href="https://e.ru">дз</a> &amp; <pre><code class="language-py">x</code></pre>') == (
        "дз & x", [{"type": "text_link", "offset": 0, "length": 2, "url": "https://e.ru"},
                   {"type": "pre", "offset": 5, "length": 1, "language": "py"}])


async def test_html_is_checked_like_telegram() -> None:
    client = BotClient(echo_dispatcher(), make_bot())
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await client.send("<script>")  # the echo handler forgot to escape user text


async def test_update_builders_feed_a_dispatcher() -> None:
    from tests.harness.updates import callback_update, chat_dict, message_update, user_dict

    bot = make_bot()
    dp = echo_dispatcher()
    user = user_dict(3)
    chat = chat_dict(3, "private", user)
    await dp.feed_update(bot, message_update(1, message_dict(1, chat, user, text="ping")))
    assert bot.session.last_text(3) == "ping"
    menu = await bot.send_message(3, "m", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="b", callback_data="marks")]]))
    await dp.feed_update(bot, callback_update(2, callback_dict(user, menu.model_dump(by_alias=True), "marks")))
    assert bot.session.sent("answerCallbackQuery")[0].text == "Готово"


# --- FakeTelegram (real HTTP, real aiogram session) ---------------------------------------------

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
    assert {"getMe", "getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery",
            "sendDocument"} <= methods


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
            assert (await user.wait_reply(timeout=1)).html_text == "<i>finally</i>"
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
            menu = await bot.send_message(user.chat_id, "m", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                InlineKeyboardButton(text="b", callback_data="d")]]))
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
        async with http.post(f"{url}/sendMessage", json={"chat_id": user.chat_id, "text": "json",
                                                         "reply_markup": markup}) as resp:
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
                "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7}}
        assert [m.text or m.document.file_name for m in user.messages] == ["json", "marks.csv"]
