"""An inner middleware for the messaging routers: an e-diary outage gets a short answer, and nothing changes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.ediary.provider import ProviderError

log = logging.getLogger(__name__)


class ProviderGuard(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        except ProviderError as exc:
            log.warning("messaging: e-diary unavailable (%s)", type(exc).__name__)
            text = _("The e-diary is not answering right now, so I could not check this. Nothing was lost: "
                     "please try again in a few minutes.")
            if isinstance(event, CallbackQuery):
                await event.answer(text, show_alert=True)
            elif isinstance(event, Message):
                await event.answer(text)
            return None
