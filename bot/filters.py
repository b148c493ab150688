"""Async filters for the checks every update meets.

aiogram runs a synchronous filter (a magic `F...` filter included) in a worker thread; these checks
run on every message, so they are plain coroutines instead (see benchmarks/bench_updates.py).
"""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n.lazy_proxy import LazyProxy

from bot.ui.menu import is_menu_label


class ChatType(Filter):
    """The chat of a message, or of the message under a pressed button, is one of these types."""

    def __init__(self, *types: str) -> None:
        self.types = frozenset(types)

    async def __call__(self, event: Message | CallbackQuery) -> bool:
        message = event.message if isinstance(event, CallbackQuery) else event
        return message is not None and message.chat.type in self.types


class MenuButton(Filter):
    """The text is this main-menu label in the user's language."""

    def __init__(self, label: LazyProxy) -> None:
        self.label = label

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text == str(self.label)


class IsCommandText(Filter):
    """The text starts with '/'."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text.startswith("/")


class NoText(Filter):
    """A message without text: a photo, a sticker, a voice note."""

    async def __call__(self, message: Message) -> bool:
        return message.text is None


class FreeText(Filter):
    """What the user typed for a conversation step, never a command or a main-menu button (those keep working
    in the middle of a step); `accepts` narrows it. The router index (bot/serving/routing.py) relies on that
    to pass commands and menu buttons by these handlers."""

    media = False  # a message without text (a photo, a document) counts too

    async def __call__(self, message: Message) -> bool:
        text = message.text
        if text is None:
            return self.media
        return not text.startswith("/") and not is_menu_label(text) and self.accepts(text)

    def accepts(self, text: str) -> bool:
        return True


class FreeInput(FreeText):
    """Any typed text; with `media=True` a photo or a document too."""

    def __init__(self, *, media: bool = False) -> None:
        self.media = media
