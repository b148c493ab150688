"""What linking needs before the first update: the code secret (bot.codes), created on the first run."""

from __future__ import annotations

from bot.codes.secret import code_hasher
from bot.context import AppContext


async def prepare_linking(ctx: AppContext) -> None:
    code_hasher(ctx.settings)  # creates the secret on first run; a bad CODE_SECRET stops the start with one line
