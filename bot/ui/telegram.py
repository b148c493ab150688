"""Narrowing aiogram's optional fields where the bot's own filters guarantee them (private chats, text)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import CallbackQuery, Message


def sender_id(event: Message | CallbackQuery) -> int:
    """The Telegram user who sent the message or pressed the button (every update the routers see has one:
    channel posts, the only kind without a sender, are not routed)."""
    user = event.from_user
    if user is None:
        raise ValueError("an update without a sender reached a handler")
    return user.id


def bot_of(event: Message | CallbackQuery) -> Bot:
    """The Bot the update came through (set on every update the Dispatcher feeds)."""
    bot = event.bot
    if bot is None:
        raise ValueError("an update outside a dispatcher reached a handler")
    return bot


def text_of(message: Message) -> str:
    """The message's text, or "" for a photo, a sticker..."""
    return message.text or ""
