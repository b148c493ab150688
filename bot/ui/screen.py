"""A screen is a text with its inline keyboard. Pressing a button shows the next screen in place of the
pressed message (aiogram_dialog's model), with one policy for everything Telegram can answer:

- the same screen again: nothing to do (no edit is sent when the pressed message already shows exactly this
  text and keyboard; Telegram's "message is not modified" is caught too, for what that comparison misses);
- a message Telegram no longer lets the bot edit ("can't be edited", "not found", or an inaccessible
  message older than 48 hours): the screen is sent as a new message instead;
- any other refusal (bad HTML, a markup too large) is a bug: it is raised for the error handler;
- the callback is always answered (with a notice when there is one), so the button stops spinning.

`replace` is the same in-place change without a callback to answer: a second change of a message already
shown, e.g. a summary in place of a progress line once slow work is done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

log = logging.getLogger(__name__)

_GONE = ("message can't be edited", "message to edit not found", "message not found")


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None


async def answer_with(message: Message, screen: Screen) -> Message:
    """Send the screen as a new message in the chat of `message`."""
    return await message.answer(screen.text, reply_markup=screen.markup)


async def replace(message: Message, screen: Screen) -> None:
    """Show `screen` in place of `message`, one of the bot's own, answering no callback (show() is that plus the
    answer): Telegram's "not modified" is nothing to do, a message it no longer lets the bot edit gets the screen
    as a new message, any other refusal is raised. `message` may be an earlier copy (the text it had when a
    button was pressed), so the edit is always sent."""
    try:
        await message.edit_text(screen.text, reply_markup=screen.markup)
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            pass
        elif any(reason in exc.message for reason in _GONE):
            await answer_with(message, screen)
        else:
            raise


async def show(callback: CallbackQuery, screen: Screen, *, notice: str | None = None, alert: bool = False) -> None:
    """Show `screen` in place of the pressed message, then answer the callback (see the module's policy)."""
    message = callback.message
    if isinstance(message, Message) and _already_shows(message, screen):
        pass
    elif isinstance(message, Message):
        await replace(message, screen)
    else:  # inaccessible: too old for Telegram to hand it to the bot
        await _bot(callback).send_message(_chat_id(callback), screen.text, reply_markup=screen.markup)
    await callback.answer(notice, show_alert=alert and notice is not None)


async def stale_button(callback: CallbackQuery, text: str) -> None:
    """A button that no longer means anything (old, forged, or about something this account may not see):
    one alert saying what to open again; nothing changes. Forged and outdated look the same on purpose."""
    prefix = (callback.data or "").partition(":")[0]  # the factory only: the rest may name an e-diary person
    log.info("stale or foreign %r button from user %s", prefix, callback.from_user.id)
    await callback.answer(text, show_alert=True)


def _already_shows(message: Message, screen: Screen) -> bool:
    """The message shows exactly this screen: the same buttons, the same HTML (as aiogram rebuilds it from the
    entities) and the same keyboard. A false "no" only costs an edit that Telegram refuses as not modified."""
    if _buttons(message.reply_markup) != _buttons(screen.markup):  # most presses change the buttons: no HTML
        return False
    return message.html_text == screen.text and _keyboard(message.reply_markup) == _keyboard(screen.markup)


def _buttons(markup: InlineKeyboardMarkup | None) -> list[tuple[str, str | None]]:
    rows = markup.inline_keyboard if markup is not None else []
    return [(button.text, button.callback_data) for row in rows for button in row]


def _keyboard(markup: InlineKeyboardMarkup | None) -> object:
    return None if markup is None else markup.model_dump(mode="json", exclude_none=True)


def _chat_id(callback: CallbackQuery) -> int:
    return callback.message.chat.id if callback.message is not None else callback.from_user.id


def _bot(callback: CallbackQuery) -> Bot:
    bot = callback.bot
    if bot is None:  # only a CallbackQuery built by hand, outside a dispatcher, has no bot
        raise RuntimeError("callback without a bot")
    return bot
