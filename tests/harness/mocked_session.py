"""`MockedSession`: an aiogram session answering from a TelegramCore (core.py) without any network.

Errors go through aiogram's own `BaseSession.check_response`, so exception classes match production.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile, URLInputFile

from .core import NetworkFailure, TelegramCore


class MockedSession(BaseSession):
    """aiogram session answering from a TelegramCore; records every method object sent."""

    def __init__(self, core: TelegramCore | None = None) -> None:
        super().__init__()
        self.core = core or TelegramCore()
        self.requests: list[TelegramMethod[Any]] = []
        self.closed = False

    def fail_next(self, method: str = "*", status: int | str = 429, **kwargs: Any) -> None:
        """See TelegramCore.fail_next; status=NETWORK raises TelegramNetworkError."""
        self.core.fail_next(method, status, **kwargs)

    def respond(self, method: str, result: Any) -> None:
        self.core.respond(method, result)

    def sent(self, method_name: str | None = None, chat_id: int | str | None = None) -> list[TelegramMethod[Any]]:
        return [
            m
            for m in self.requests
            if (method_name is None or m.__api_method__.lower() == method_name.lower())
            and (chat_id is None or str(getattr(m, "chat_id", None)) == str(chat_id))
        ]

    def last_text(self, chat_id: int | str) -> str | None:
        """Text of the last sendMessage/editMessageText to the chat, as sent (HTML markup included)."""
        texts = self.sent("sendMessage", chat_id) + self.sent("editMessageText", chat_id)
        texts.sort(key=self.requests.index)
        return texts[-1].text if texts else None

    def clear(self) -> None:
        self.requests.clear()
        self.core.requests.clear()

    async def _wire_params(self, bot: Bot, method: TelegramMethod[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The exact form fields AiohttpSession would post (defaults resolved, JSON-encoded)."""
        params: dict[str, Any] = {}
        inputs: dict[str, InputFile] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=inputs)
            if prepared:
                params[key] = prepared
        files = {}
        for key, value in inputs.items():
            data = b"" if isinstance(value, URLInputFile) else b"".join([c async for c in value.read(bot)])
            files[key] = (value.filename or key, data)
        return params, files

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.closed = False
        self.requests.append(method)
        params, files = await self._wire_params(bot, method)
        self.core.bot_user["id"] = bot.id
        if hold := self.core.holds.take(method.__api_method__, params):  # a hang: answered once released
            try:
                await asyncio.wait_for(hold.until_released(), self.timeout if timeout is None else timeout)
            except TimeoutError:  # as AiohttpSession reports its timeout
                raise TelegramNetworkError(method=method, message="Request timeout error") from None
        try:
            status, body = self.core.handle(method.__api_method__, params, files)
        except NetworkFailure:
            raise TelegramNetworkError(
                method=method, message="ClientConnectorError: injected network failure"
            ) from None
        return self.check_response(bot, method, status, json.dumps(body)).result  # type: ignore[return-value]

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        file_id = url.rsplit("/", 1)[-1]  # file_path is files/{file_id}
        yield self.core.files.get(file_id, b"")

    async def close(self) -> None:
        self.closed = True


def make_bot(session: MockedSession | None = None, token: str = "42:TEST") -> Bot:
    return Bot(token=token, session=session or MockedSession(), default=DefaultBotProperties(parse_mode="HTML"))
