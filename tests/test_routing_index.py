"""The router index (bot/serving/routing.py) changes how far an update travels, never where it lands: for
every command, menu button and button of every feature, in every conversation state, the handler reached
through the index is the one aiogram's walk through all the routers reaches."""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

import pytest
from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.types import CallbackQuery, TelegramObject

from bot.announce.states import Announce
from bot.app import create_router
from bot.i18n import SUPPORTED_LOCALES, create_i18n
from bot.linking.states import LinkFlow
from bot.messaging.states import Compose, Replying, ToParents
from bot.serving.routing import IndexedRouter
from bot.settings.states import SettingsForm
from bot.ui.menu import MENU_LABELS
from tests.harness import make_bot
from tests.harness.updates import callback_dict, chat_dict, message_dict, to_message, user_dict

STATES = [None, LinkFlow.code, SettingsForm.quiet, Compose.writing, Compose.preview, Announce.writing,
          Replying.writing, ToParents.writing]  # fmt: skip
USER = user_dict(7)
CHAT = chat_dict(7, user=USER)


def private_router() -> IndexedRouter:
    root = create_router()
    private = next(r for r in root.sub_routers if isinstance(r, IndexedRouter))
    return private


async def walk(router: Router, update_type: str, event: TelegramObject, kwargs: dict[str, Any]) -> Any:
    """The handler aiogram's own propagation picks (root filters, handlers in order, then sub-routers)."""
    observer = router.observers[update_type]
    passed, _ = await observer.check_root_filters(event, **kwargs)
    if not passed:
        return UNHANDLED
    for handler in observer.handlers:
        matched, _ = await handler.check(event, **kwargs)
        if matched:
            return handler.callback
    for sub in router.sub_routers:
        found = await walk(sub, update_type, event, kwargs)
        if found is not UNHANDLED:
            return found
    return UNHANDLED


async def indexed(router: IndexedRouter, update_type: str, event: TelegramObject, kwargs: dict[str, Any]) -> Any:
    key = router.key_of(update_type, event)
    if key is None:
        return await walk(router, update_type, event, kwargs)
    for sub in router.routes_for(update_type, key):
        found = await walk(sub, update_type, event, kwargs)
        if found is not UNHANDLED:
            return found
    return UNHANDLED


def sample_value(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return sample_value(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    return {int: 1, str: "a", bool: True}.get(annotation, "a")


def packed_buttons(router: Router) -> list[str]:
    """One valid callback data of every CallbackData class a handler filters on."""
    classes: set[type[CallbackData]] = {
        f.callback
        .callback_data
        for each in router.chain_tail
        for h in each.callback_query.handlers
        for f in h.filters or ()
        if isinstance(f.callback, CallbackQueryFilter)
    }  # fmt: skip
    packed = []
    for cls in sorted(classes, key=lambda c: c.__prefix__):
        hints = typing.get_type_hints(cls)
        values = {name: sample_value(hints[name]) for name in cls.model_fields}
        packed.append(cls(**values).pack())
    return packed


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_every_command_and_menu_button_lands_where_the_full_walk_lands(locale: str) -> None:
    router = private_router()
    i18n = create_i18n()
    bot = make_bot()
    commands = sorted(router.commands)
    assert {"today", "start", "marks", "cancel", "link"} <= set(commands)
    with i18n.context(), i18n.use_locale(locale):
        texts = [f"/{c}" for c in commands] + ["/start ABCD-EFGH-JKLM", "/start  ", "/today@other_bot", "/nosuch"]
        texts += ["/", "/ today", "/today now", "hi"]
        texts += [str(label) for label in MENU_LABELS] + ["K7QF-93XM-RT2P", "08:00"]
        checked = 0
        for state in STATES:
            kwargs = {"raw_state": None if state is None else state.state, "bot": bot, "ctx": None}
            for text in texts:
                message = to_message(message_dict(1, CHAT, USER, text=text), bot)
                expected = await walk(router, "message", message, kwargs)
                assert await indexed(router, "message", message, kwargs) is expected, (text, state)
                checked += 1
    assert checked == len(STATES) * len(texts)


async def test_every_button_lands_where_the_full_walk_lands() -> None:
    router = private_router()
    bot = make_bot()
    shown = message_dict(5, CHAT, {"id": 42, "is_bot": True, "first_name": "Bot"}, text="…")
    buttons = packed_buttons(router)
    assert len(buttons) > 30
    for state in STATES:
        kwargs = {"raw_state": None if state is None else state.state, "bot": bot, "ctx": None}
        for data in [*buttons, "nosuch:1", "no-separator", "tt:forged"]:
            query = CallbackQuery.model_validate(callback_dict(USER, shown, data), context={"bot": bot})
            expected = await walk(router, "callback_query", query, kwargs)
            assert expected is not UNHANDLED
            assert await indexed(router, "callback_query", query, kwargs) is expected, (data, state)


async def test_a_command_skips_every_feature_that_cannot_take_it() -> None:
    router = private_router()

    def names(*key: object) -> list[str | None]:
        return [r.name for r in router.routes_for("message", key)]

    assert names("command", "today", False) == ["timetable", "fallback"]
    assert names("command", "start", False) == ["start", "fallback"]  # plain /start: linking takes only a code
    assert names("command", "start", True) == ["linking", "start", "fallback"]
