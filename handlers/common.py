"""The last router: whatever nobody else understood gets a helpful answer, never silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from handlers.start import menu_for
from storage.db import Database

router = Router(name="fallback")


@router.message()
async def unknown_message(message: Message, db: Database) -> None:
    if message.text and message.text.startswith("/"):
        text = _("I don't know this command. Here is what I can do: /help")
    else:
        text = _("I didn't understand that. Use the menu below or /help.")
    await message.answer(text, reply_markup=await menu_for(db, message.from_user.id))


@router.callback_query()
async def stale_button(callback: CallbackQuery) -> None:
    await callback.answer(_("This button is out of date. Please open the menu again."), show_alert=True)
