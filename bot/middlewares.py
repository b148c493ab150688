"""Outer middlewares: record the user (for language and reachability) before handlers run, and keep the
account's links for the update (storage/links.py: its access checks ask for them more than once)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TgUser

from bot.context import AppContext
from storage import links as links_repo
from storage import users as users_repo


class UserMiddleware(BaseMiddleware):
    """Puts the stored `user_record` into handler data; a user who writes is reachable again."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        if tg_user is not None and not tg_user.is_bot:
            ctx: AppContext = data["ctx"]
            data["user_record"] = await users_repo.touch_user(
                ctx.database, tg_user.id, tg_user.language_code, ctx.clock.now()
            )
        with links_repo.memo():
            return await handler(event, data)
