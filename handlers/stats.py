"""/stats: the school overview for admins; everyone else gets a clear refusal."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.context import AppContext
from bot.stats import screens, service
from bot.ui import answer_with
from bot.ui.telegram import sender_id


async def stats_command(message: Message, ctx: AppContext) -> None:
    data = await service.overview(ctx, sender_id(message))
    await answer_with(message, screens.refusal() if data is None else screens.overview(data, ctx.settings.tz))


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="stats")
    router.message.register(stats_command, Command("stats"))
    return router
