"""Routing a Telegram reply: a reply to a relayed message is an answer in that message's thread."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message

from bot.context import AppContext
from bot.messaging import service


class RepliedThread(Filter):
    """A Telegram reply to a relayed message; gives the handler `replied_thread_id` (0: the relayed message
    is gone since, the handler then says the conversation is not available any more)."""

    async def __call__(self, message: Message, ctx: AppContext) -> bool | dict[str, int]:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        thread_id = await service.replied_thread(ctx, message.chat.id, replied.message_id)
        return False if thread_id is None else {"replied_thread_id": thread_id}
