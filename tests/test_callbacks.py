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
        low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
        high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
        # unbounded, a forged huge number reaches SQLite (OverflowError) instead of being an unknown id
        assert low is not None and high is not None, f"{cls.__qualname__}.{name}: an int field needs Field(ge=, le=)"
        return low if len(str(low)) > len(str(high)) else high
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


@pytest.mark.parametrize("data", ["mh:99999999999999999999", "mh:-5", "gs:s01:::100000000000000000000", "lk:1e99"])
async def test_a_forged_out_of_range_number_is_an_unknown_button(app, caplog, data: str) -> None:
    user = app.client(931, language_code="en")
    await user.send("/start")
    await user.click_forged(user.last_message(), data)
    assert "out of date" in (user.last_answer() or "")
    assert "Traceback" not in caplog.text and "OverflowError" not in caplog.text
