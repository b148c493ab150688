"""What the messaging routers share: the translator of the update, and showing screens below or as a preview."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, ReplyParameters

from bot.context import AppContext
from bot.messaging.drafts import Draft
from bot.ui import Screen, Translator
from bot.ui.telegram import bot_of, sender_id


def translator(ctx: AppContext) -> Translator:
    return Translator.current(ctx.i18n)


async def send_below(callback: CallbackQuery, screen: Screen) -> None:
    """A new message in the (private) chat, under the pressed one, which stays as it is."""
    await bot_of(callback).send_message(sender_id(callback), screen.text, reply_markup=screen.markup)


async def show_preview(message: Message, state: FSMContext, draft: Draft, screen: Screen, preview: State) -> None:
    """The preview under the draft; a new version replaces the draft, and the old preview loses its buttons."""
    preview_id = (await state.get_data()).get("preview_id")
    if isinstance(preview_id, int):
        with contextlib.suppress(TelegramBadRequest):
            await bot_of(message).edit_message_reply_markup(chat_id=message.chat.id, message_id=preview_id)
    shown = await message.answer(
        screen.text,
        reply_markup=screen.markup,
        reply_parameters=ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True),
    )
    await state.set_state(preview)
    await state.update_data(draft=draft.as_data(), preview_id=shown.message_id)
