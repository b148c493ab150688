"""Tests of the in-process harness: BotClient and MockedSession (TelegramCore rules, error injection,
update builders), against a tiny echo bot (not the real app)."""

from __future__ import annotations

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from tests.echo_bot import echo_dispatcher
from tests.harness import NETWORK, BotClient, MockedSession, make_bot
from tests.harness.core import NOT_MODIFIED
from tests.harness.updates import callback_dict, message_dict, render_html

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
    with pytest.raises(AssertionError, match=r"buttons: .*Оценки за неделю"):
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
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="b", callback_data="d")]])
    await bot.edit_message_text("<b>same</b>", chat_id=5, message_id=sent.message_id, reply_markup=keyboard)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):  # the same text, entities and keyboard
        await bot.edit_message_text("<b>same</b>", chat_id=5, message_id=sent.message_id, reply_markup=keyboard)
    assert bot.session.core.refusals[-1] == ("editMessageText", NOT_MODIFIED)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=5, message_id=999)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(
            5,
            "x",
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="long", callback_data="x" * 65)]]
            ),
        )
    assert (await bot.get_me()).username == "ediary_test_bot"
    bot.session.respond("getChatMember", {"status": "member", "user": {"id": 5, "is_bot": False, "first_name": "A"}})
    assert (await bot.get_chat_member(5, 5)).status == "member"
    assert render_html('<a href="https://e.ru">дз</a> &amp; <pre><code class="language-py">x</code></pre>') == (
        "дз & x",
        [
            {"type": "text_link", "offset": 0, "length": 2, "url": "https://e.ru"},
            {"type": "pre", "offset": 5, "length": 1, "language": "py"},
        ],
    )


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
    menu = await bot.send_message(
        3,
        "m",
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="b", callback_data="marks")]]),
    )
    await dp.feed_update(bot, callback_update(2, callback_dict(user, menu.model_dump(by_alias=True), "marks")))
    assert bot.session.sent("answerCallbackQuery")[0].text == "Готово"
