"""Tests that read like a user's story: a user in a chat acting on the bot.

`ChatSide` is what a user does (send text/photo/document, reply, click inline
buttons) and what they see (the bot's messages in their chat, current state with
edits applied, the reply keyboard, callback answers), all read from a TelegramCore.
`BotClient` delivers the user's updates straight into `Dispatcher.feed_update`;
fake_api.FakeUser delivers the same updates through a fake HTTP getUpdates.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Message

from . import updates as u
from .core import TelegramCore
from .mocked_session import MockedSession


class ChatSide:
    """One user in one chat (private by default; chat_type="group" gives a negative chat id)."""

    def __init__(
        self,
        core: TelegramCore,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
        chat_type: str = "private",
        chat_id: int | None = None,
        chat_title: str | None = None,
    ) -> None:
        self.core = core
        self.user = u.user_dict(user_id, first_name, language_code, username)
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -(1_000_000 + user_id)
        self.chat = core.chats.get(chat_id) or u.chat_dict(chat_id, chat_type, self.user, chat_title)
        core.register_chat(self.chat)
        self.query_ids: list[str] = []  # callback queries this user produced
        self._bot: Bot | None = None  # bound into returned Message objects when known

    @property
    def user_id(self) -> int:
        return self.user["id"]

    @property
    def chat_id(self) -> int:
        return self.chat["id"]

    async def _deliver(self, update: dict[str, Any]) -> None:
        raise NotImplementedError

    # --- what the user does -----------------------------------------------------------------
    async def _post(self, **content: Any) -> Message:
        message = u.message_dict(self.core.next_message_id(self.chat_id), self.chat, self.user, **content)
        self.core.store(message, "user")
        await self._deliver({"update_id": self.core.next_update_id(), "message": message})
        return u.to_message(message, self._bot)

    async def send(self, text: str, reply_to: Message | dict[str, Any] | None = None) -> Message:
        """The user writes `text` (commands too: "/start"); returns the user's message."""
        entities = (
            [{"type": "bot_command", "offset": 0, "length": u.utf16_len(text.split()[0])}]
            if text.startswith("/")
            else None
        )
        replied = u.as_dict(reply_to) if reply_to is not None else None
        return await self._post(text=text, entities=entities, reply_to_message=replied)

    async def reply(self, to_message: Message | dict[str, Any], text: str) -> Message:
        return await self.send(text, reply_to=self._current(to_message))

    async def send_photo(self, caption: str | None = None, content: bytes = b"\x89PNG fake") -> Message:
        photo = u.photo_sizes(size=len(content))
        self.core.files[photo[-1]["file_id"]] = content
        return await self._post(photo=photo, caption=caption)

    async def send_document(
        self,
        file_name: str = "file.pdf",
        content: bytes = b"%PDF fake",
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> Message:
        document = u.document_dict(file_name, mime_type=mime_type, size=len(content))
        self.core.files[document["file_id"]] = content
        return await self._post(document=document, caption=caption)

    async def click(
        self, message: Message | dict[str, Any], text: str | None = None, *, callback_data: str | None = None
    ) -> str:
        """Press an inline button of the message (as it is now, after edits); returns the query id."""
        if text is None and callback_data is None:
            raise ValueError("click() needs the button text or callback_data")
        current = self._current(message)
        button = u.find_inline_button(current, text, callback_data)
        callback = u.callback_dict(self.user, current, button["callback_data"])
        self.query_ids.append(callback["id"])
        await self._deliver({"update_id": self.core.next_update_id(), "callback_query": callback})
        return callback["id"]

    async def click_forged(self, message: Message | dict[str, Any], callback_data: str) -> str:
        """Press a button the bot never made (a hand-crafted callback) under this message."""
        current = dict(self._current(message))
        current["reply_markup"] = {"inline_keyboard": [[{"text": "forged", "callback_data": callback_data}]]}
        self.core.messages[(current["chat"]["id"], current["message_id"])] = current
        return await self.click(current, callback_data=callback_data)

    def _current(self, message: Message | dict[str, Any]) -> dict[str, Any]:
        data = u.as_dict(message)
        key = (data["chat"]["id"], data["message_id"])
        if key in self.core.deleted:
            raise AssertionError(f"message {key[1]} was deleted by the bot")
        return self.core.messages.get(key, data)

    # --- what the user sees -----------------------------------------------------------------
    @property
    def messages(self) -> list[Message]:
        """The bot's messages in this chat, oldest first, edits applied, deleted ones gone."""
        return [u.to_message(m, self._bot) for m in self.core.bot_messages(self.chat_id)]

    def last_message(self) -> Message:
        """The bot's most recently sent or edited message here (current state)."""
        messages = self.core.bot_messages(self.chat_id)
        if not messages:
            raise AssertionError(f"the bot sent nothing to chat {self.chat_id}; requests: {self._recent()}")
        latest = max(messages, key=lambda m: self.core.activity[(self.chat_id, m["message_id"])])
        return u.to_message(latest, self._bot)

    def reply_keyboard(self) -> list[str]:
        """Texts of the persistent reply keyboard buttons currently shown ([] if none/removed)."""
        return u.keyboard_texts(self.core.reply_keyboards.get(self.chat_id))

    @property
    def answers(self) -> list[dict[str, Any]]:
        """answerCallbackQuery calls for this user's clicks: {callback_query_id, text, show_alert, url}."""
        return [a for a in self.core.answers if a["callback_query_id"] in self.query_ids]

    def last_answer(self) -> str | None:
        """Text of the last callback answer to this user (None: answered without text)."""
        answers = self.answers
        if not answers:
            raise AssertionError(f"no answerCallbackQuery for {self.query_ids}; requests: {self._recent()}")
        return answers[-1]["text"]

    def _recent(self, count: int = 8) -> list[str]:
        return [f"{method}({params.get('chat_id', '')})" for method, params in self.core.requests[-count:]]


class BotClient(ChatSide):
    """A user talking to `dp` in-process: each action is one `dp.feed_update(bot, update)`.

    `bot` must use a MockedSession (see make_bot); several clients may share the bot.
    Exceptions from handlers propagate to the test.
    """

    def __init__(self, dp: Dispatcher, bot: Bot, user_id: int = 1001, **chat: Any) -> None:
        if not isinstance(bot.session, MockedSession):
            raise TypeError("BotClient needs a bot with a MockedSession: make_bot(MockedSession())")
        super().__init__(bot.session.core, user_id, **chat)
        self.dp = dp
        self.bot = self._bot = bot

    async def _deliver(self, update: dict[str, Any]) -> None:
        await self.dp.feed_update(self.bot, u.to_update(update, self.bot))
