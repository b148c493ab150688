"""Test harness: a fake Telegram for ediary-bot tests.

- TelegramCore: the fake Telegram itself (chats, messages, errors), shared by both fakes below.
- MockedSession / make_bot: in-process Bot API for `Dispatcher.feed_update` tests.
- BotClient: a user's story against a Dispatcher (send, click, read the chat).
- FakeTelegram / FakeUser / polling: an HTTP Bot API on 127.0.0.1 for end-to-end tests.
- eventually: wait for a condition the code under test brings about (never a fixed sleep).
- updates: builders for Update/Message/CallbackQuery dicts and objects.
"""

from .client import BotClient, ChatSide
from .core import NETWORK, TelegramCore
from .fake_api import FakeTelegram, FakeUser, polling
from .mocked_session import MockedSession, make_bot
from .waiting import eventually

__all__ = [
    "NETWORK",
    "BotClient",
    "ChatSide",
    "FakeTelegram",
    "FakeUser",
    "MockedSession",
    "TelegramCore",
    "eventually",
    "make_bot",
    "polling",
]
