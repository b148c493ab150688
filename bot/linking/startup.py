"""What linking needs before the first update: the code secret and the bot's @username for t.me links."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

from bot.context import AppContext
from bot.linking.secret import code_hasher
from bot.linking.username import remember_username

log = logging.getLogger(__name__)


async def prepare_linking(ctx: AppContext) -> None:
    code_hasher(ctx.settings)  # creates the secret on first run; a bad CODE_SECRET stops the start with one line
    if ctx.bot is None:
        return
    try:
        await remember_username(ctx.settings, ctx.bot)
    except (TelegramAPIError, TelegramNetworkError) as exc:  # the CLI will ask Telegram itself
        log.warning("could not read the bot's username at startup: %s", type(exc).__name__)
