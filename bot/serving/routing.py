"""An index in front of the features' routers: a command, a main-menu button or a pressed button goes
straight to the routers whose handlers may take it, instead of through every feature's filters in turn.

aiogram offers an update to each sub-router in order until one handles it; with fifteen features that walk
was the largest cost of a plain `/today` (benchmarks/bench_updates.py). `IndexedRouter` keeps the order and
the outcome: for each kind of key it skips only the sub-routers where every handler has a filter that
*provably* refuses the key (a `Command` of other names, `/start` with or without a deep link where the filter
wants the other, a `MenuButton` with another label, `FreeText`, `NoText`, a `CallbackData` filter of another
prefix). A handler with any other filter (a state, a magic filter, no filter at all) may take anything, so its
router is always offered the update. Free text, captions, media and every other update type go the usual way."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command, CommandStart
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import I18n

from bot.filters import FreeText, IsCommandText, MenuButton, NoText

# Keys: ("command", name, has arguments) for "/name ...", name None for a command no handler names;
# ("menu", locale, text) for a main-menu label; ("button", prefix) for callback data, prefix None when unknown.
Key = tuple[Hashable, ...]

_INDEXED = ("message", "callback_query")


class IndexedRouter(Router):
    """A Router whose sub-routers are chosen by the update's key; see the module's docstring."""

    def __init__(self, *, name: str) -> None:
        super().__init__(name=name)
        self._routes: dict[Key, tuple[Router, ...]] = {}
        self._commands: frozenset[str] | None = None
        self._prefixes: frozenset[str] = frozenset()
        self._labels: tuple[MenuButton, ...] = ()
        self._label_texts: dict[str, frozenset[str]] = {}

    def build_index(self) -> None:
        """Reads every sub-router's filters; call it once the sub-routers are included."""
        filters = [f for router in self.sub_routers for h in _handlers(router, "message") for f in _filters(h)]
        self._commands = frozenset(
            c for f in filters if isinstance(f, Command) for c in f.commands if isinstance(c, str) and _plain(f, c)
        )
        self._labels = tuple(f for f in filters if isinstance(f, MenuButton))
        self._prefixes = frozenset(
            f.callback_data.__prefix__
            for router in self.sub_routers
            for h in _handlers(router, "callback_query")
            for f in _filters(h)
            if isinstance(f, CallbackQueryFilter)
        )
        self._routes.clear()
        self._label_texts.clear()

    @property
    def commands(self) -> frozenset[str]:
        """The command names some sub-router's handler names."""
        return self._commands or frozenset()

    async def propagate_event(self, update_type: str, event: TelegramObject, **kwargs: Any) -> Any:
        key = self.key_of(update_type, event) if self._commands is not None and update_type in _INDEXED else None
        observer = self.observers[update_type]
        if key is None or observer.outer_middleware or observer.handlers:
            return await super().propagate_event(update_type, event, **kwargs)
        kwargs["event_router"] = self
        passed, data = await observer.check_root_filters(event, **kwargs)
        if not passed:
            return UNHANDLED
        kwargs.update(data)
        for router in self.routes_for(update_type, key):
            response = await router.propagate_event(update_type, event, **kwargs)
            if response is not UNHANDLED:
                return response
        return UNHANDLED

    def key_of(self, update_type: str, event: TelegramObject) -> Key | None:
        """What the index routes by, or None when the update goes the usual way (free text, media)."""
        if update_type == "callback_query":
            data = event.data if isinstance(event, CallbackQuery) else None
            if data is None:
                return None
            prefix = data.partition(":")[0]
            return ("button", prefix if prefix in self._prefixes else None)
        text = event.text if isinstance(event, Message) else None
        if not text:
            return None
        if text.startswith("/"):
            words = text.split(maxsplit=1)  # as aiogram's Command reads it: "/name@bot arguments"
            name = words[0][1:].partition("@")[0]
            assert self._commands is not None
            return ("command", name if name in self._commands else None, len(words) > 1)  # with arguments?
        locale = _current_locale()
        if locale is not None and text in self._menu_texts(locale):
            return ("menu", locale, text)
        return None

    def _menu_texts(self, locale: str) -> frozenset[str]:
        texts = self._label_texts.get(locale)
        if texts is None:
            texts = self._label_texts[locale] = frozenset(str(f.label) for f in self._labels)
        return texts

    def routes_for(self, update_type: str, key: Key) -> tuple[Router, ...]:
        """The sub-routers, in order, that may take an update with this key (worked out once per key)."""
        routes = self._routes.get(key)
        if routes is None:
            routes = tuple(router for router in self.sub_routers if _may_take(router, update_type, key))
            self._routes[key] = routes
        return routes


def _handlers(router: Router, update_type: str) -> Iterable[HandlerObject]:
    """Every handler of this update type in the router and its sub-routers."""
    for each in router.chain_tail:
        yield from each.observers[update_type].handlers


def _may_take(router: Router, update_type: str, key: Key) -> bool:
    """False only when every handler in the router's tree refuses the key; an outer middleware may do
    anything, so a router with one is never skipped (a router's own filters only ever refuse more)."""
    for each in router.chain_tail:
        observer = each.observers[update_type]
        if observer.outer_middleware or any(not _refuses(h, key) for h in observer.handlers):
            return True
    return False


def _filters(handler: HandlerObject) -> list[Any]:
    return [f.callback for f in handler.filters or ()]


def _plain(command: Command, name: object) -> bool:
    """A command the index can name: a string, "/"-prefixed, case-sensitive (anything else is never skipped)."""
    return isinstance(name, str) and command.prefix == "/" and not command.ignore_case


def _refuses(handler: HandlerObject, key: Key) -> bool:
    """True when one of the handler's filters certainly returns False for every update with this key."""
    return any(_filter_refuses(f, key) for f in _filters(handler))


def _filter_refuses(flt: Any, key: Key) -> bool:
    kind = key[0]
    if kind == "command":
        if isinstance(flt, CommandStart) and flt.deep_link is not None and flt.deep_link != key[2]:
            return True  # `/start CODE` only, or plain `/start` only
        if isinstance(flt, Command):
            names = flt.commands
            return all(_plain(flt, n) for n in names) and key[1] not in names
        return isinstance(flt, MenuButton | FreeText | NoText)
    if kind == "menu":
        if isinstance(flt, MenuButton):  # evaluated in the key's language: the update's, now
            return str(flt.label) != key[2]
        return isinstance(flt, Command | IsCommandText | FreeText | NoText)
    if kind == "button" and isinstance(flt, CallbackQueryFilter):
        callback_data = flt.callback_data  # the key is read with ":" (CallbackData's default separator)
        return callback_data.__separator__ == ":" and callback_data.__prefix__ != key[1]
    return False


def _current_locale() -> str | None:
    i18n = I18n.get_current(no_error=True)
    return i18n.current_locale if i18n is not None else None
