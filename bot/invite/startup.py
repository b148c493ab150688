"""What invite needs before the first update: the bot's @username cached for `ediary-bot invite`, which puts
it into every t.me link it prints and should not have to ask Telegram for it."""

from __future__ import annotations

import logging

from bot.context import AppContext
from bot.invite.username import remember_username

log = logging.getLogger(__name__)


async def remember_bot_username(ctx: AppContext) -> None:
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError  # here: `ediary-bot` loads bot.invite

    if ctx.bot is None:
        return
    try:
        await remember_username(ctx.settings, ctx.bot)
    except (TelegramAPIError, TelegramNetworkError) as exc:  # the CLI will ask Telegram itself
        log.warning("could not read the bot's username at startup: %s", type(exc).__name__)
