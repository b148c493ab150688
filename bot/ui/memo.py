"""Screen parts that depend only on their arguments and the user's language are made once per language:
the main menu, /help's text. aiogram's keyboards are frozen models, so one made is safely shared."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache, wraps
from typing import ParamSpec, TypeVar

from aiogram.utils.i18n import get_i18n

P = ParamSpec("P")
R = TypeVar("R")


def per_language(maxsize: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Caches `func` by its (hashable) arguments and the current language, which its `_()` calls read."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        call: Callable[..., R] = func

        @lru_cache(maxsize=maxsize)
        def in_language(locale: str, args: tuple[Hashable, ...], kwargs: frozenset[tuple[str, Hashable]]) -> R:
            return call(*args, **dict(kwargs))

        @wraps(func)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            return in_language(get_i18n().current_locale, args, frozenset(kwargs.items()))

        return cached

    return decorate
