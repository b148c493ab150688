"""The messaging feature's routers (the rest is in bot/messaging): /message for families (compose.py), a teacher
writing to parents (outreach.py), and answers, /inbox and threads (conversations.py)."""

from __future__ import annotations

from aiogram import Router

from handlers.messaging import compose, conversations, outreach


def create_router() -> Router:
    """A new Router with this feature's handlers (one per Dispatcher: a Router attaches to one parent)."""
    router = Router(name="messaging")
    # answering first: a Telegram reply to a relayed message wins over a draft being written
    router.include_routers(conversations.create_router(), compose.create_router(), outreach.create_router())
    return router
