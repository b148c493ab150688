"""Groups and channels: the bot never shows personal data there, only a hint to open a private chat."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.filters import ChatType, IsCommandText
from bot.ui.telegram import bot_of


async def command_in_group(message: Message) -> None:
    me = await bot_of(message).me()
    await message.reply(
        _("I only talk about grades and timetables in a private chat. Open it here: @{username}").format(
            username=me.username
        )
    )


async def button_in_group(callback: CallbackQuery) -> None:
    await callback.answer(_("Please use the bot in a private chat."), show_alert=True)


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="group")
    router.message.register(command_in_group, IsCommandText())
    router.callback_query.register(button_in_group, ChatType("group", "supergroup"))
    router.message.filter(ChatType("group", "supergroup"))
    return router
