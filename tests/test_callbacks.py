"""Every CallbackData factory of the bot: prefixes are unique, and the longest possible button data fits
Telegram's 64 bytes (str fields must declare their longest value with Field(max_length=...))."""

from __future__ import annotations

import importlib
import pkgutil
import typing
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from pydantic.fields import FieldInfo

import bot

TELEGRAM_LIMIT = 64
INT_EXTREME = -(2**63)  # the longest int (20 characters with its sign)


def all_factories() -> list[type[CallbackData]]:
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        if module.name != "bot.__main__":  # running it is `ediary-bot` itself
            importlib.import_module(module.name)
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted((c for c in found if c.__module__.startswith("bot.")), key=lambda c: c.__qualname__)


def longest_value(cls: type[CallbackData], name: str, info: FieldInfo) -> Any:
    annotation = info.annotation
    args = typing.get_args(annotation)
    if annotation is bool or bool in args:
        return False  # packed as "0"/"1"
    if annotation is int or int in args:
        return INT_EXTREME
    max_length = next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), None)
    assert max_length is not None, f"{cls.__qualname__}.{name}: a str field needs Field(max_length=...)"
    return "x" * max_length  # ids are ASCII; a field that may carry Cyrillic text bounds itself in bytes


FACTORIES = all_factories()


def test_the_bot_has_callback_factories() -> None:
    assert len(FACTORIES) >= 10


def test_prefixes_are_unique() -> None:
    prefixes = [cls.__prefix__ for cls in FACTORIES]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)


@pytest.mark.parametrize("cls", FACTORIES, ids=lambda c: c.__qualname__)
def test_the_longest_button_data_fits_telegrams_64_bytes(cls: type[CallbackData]) -> None:
    values = {name: longest_value(cls, name, info) for name, info in cls.model_fields.items()}
    packed = cls(**values).pack()
    assert len(packed.encode()) <= TELEGRAM_LIMIT, f"{cls.__qualname__}: {len(packed.encode())} bytes: {packed}"
