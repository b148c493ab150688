"""Routers, one per feature. Chat-type filters are attached here, at router level:
personal data is only ever handled in private chats."""

from __future__ import annotations

import importlib

from aiogram import Router

from bot.filters import ChatType
from handlers import common, group, start

# Feature routers in the order they must see updates: linking first (it owns `/start CODE`),
# then plain /start and /help, then the features; the fallback comes last.
FEATURE_MODULES: list[str] = ["linking", "invite", "grades", "timetable", "messaging", "settings"]


def _detached(router: Router) -> Router:
    # A Router attaches to one parent for life; the tests build many dispatchers in one process.
    router._parent_router = None
    return router


def get_routers() -> list[Router]:
    features = [importlib.import_module(f"handlers.{name}").router for name in FEATURE_MODULES]
    private = Router(name="private")
    private.message.filter(ChatType("private"))
    private.callback_query.filter(ChatType("private"))
    private.include_routers(*map(_detached, [features[0], start.router, *features[1:], common.router]))
    return [_detached(group.router), private]
