"""Codes as the school hands them out: hard to guess, easy to type, stored only as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import stat
from pathlib import Path

import pytest

from bot.codes.code import ALPHABET, CODE_BITS, CODE_LENGTH, deep_link, format_code, generate_code, normalize_code
from bot.codes.secret import SECRET_FILE_NAME, code_hasher
from bot.config import SettingsError
from bot.invite.username import configured_username
from tests.conftest import make_settings


def test_codes_carry_at_least_40_bits_from_an_alphabet_without_look_alikes() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    assert CODE_BITS == CODE_LENGTH * math.log2(len(ALPHABET)) >= 40
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000  # no repeats: drawn from `secrets`, not a seeded generator
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    used = set("".join(codes))
    assert used == set(ALPHABET)  # every symbol occurs: the whole alphabet is in use


def test_codes_are_shown_in_groups() -> None:
    assert format_code("K7QF93XMRT2P") == "K7QF-93XM-RT2P"
    assert deep_link("ediary_test_bot", "K7QF93XMRT2P") == "https://t.me/ediary_test_bot?start=K7QF93XMRT2P"


@pytest.mark.parametrize(
    "typed",
    [
        "K7QF-93XM-RT2P",
        "k7qf-93xm-rt2p",
        "K7QF93XMRT2P",
        "k7qf 93xm rt2p",
        "  K7QF – 93XM — RT2P  ",
        "К7QF-93ХМ-RТ2Р",  # Cyrillic К, Х, М, Т, Р typed on a Russian layout
    ],
)
def test_codes_are_accepted_in_any_case_with_or_without_dashes_or_spaces(typed: str) -> None:
    assert normalize_code(typed) == "K7QF93XMRT2P"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "hello",
        "K7QF-93XM-RT2",
        "K7QF-93XM-RT2PX",
        "K7QF-93XM-RT2O",
        "K7QF-93XM-RT21",
        "K7QF-93XM-RT2I",
        "K7QF-93XM-RT2L",
        "K7QF-93XM-RT20",
        "K7QF/93XM/RT2P",
        "привет-мир-тут",
    ],
)
def test_anything_else_is_not_a_code(typed: str) -> None:
    assert normalize_code(typed) is None


def test_the_secret_is_generated_once_into_the_data_directory_with_0600(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "a")
    hasher = code_hasher(settings)
    path = settings.data_dir / SECRET_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert len(key) >= 32
    digest = hmac.new(key.encode(), b"code:K7QF93XMRT2P", hashlib.sha256).hexdigest()
    assert hasher.code("K7QF93XMRT2P") == digest
    # a second run (another process: no cache) reads the same key
    from bot.codes import secret

    secret._hashers.clear()
    assert code_hasher(make_settings(tmp_path / "a")).code("K7QF93XMRT2P") == digest
    assert path.read_text().strip() == key
    # another installation gets another key
    assert code_hasher(make_settings(tmp_path / "b")).code("K7QF93XMRT2P") != digest


def test_a_loose_secret_file_is_tightened(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    path = settings.data_dir / SECRET_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x" * 64)
    os.chmod(path, 0o644)
    code_hasher(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_code_secret_setting_wins_and_must_be_long_enough(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, code_secret="s" * 40)
    expected = hmac.new(b"s" * 40, b"code:K7QF93XMRT2P", hashlib.sha256).hexdigest()
    assert code_hasher(settings).code("K7QF93XMRT2P") == expected
    assert not (settings.data_dir / SECRET_FILE_NAME).exists()
    with pytest.raises(SettingsError, match="CODE_SECRET"):
        code_hasher(make_settings(tmp_path, code_secret="short"))


def test_a_damaged_secret_file_is_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / SECRET_FILE_NAME).write_text("\n")
    with pytest.raises(SettingsError, match="empty or damaged"):
        code_hasher(settings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ediary_test_bot", "ediary_test_bot"),
        ("@ediary_test_bot", "ediary_test_bot"),
        ("https://t.me/ediary_test_bot", "ediary_test_bot"),
        (None, None),
    ],
)
def test_bot_username_setting(tmp_path: Path, value: str | None, expected: str | None) -> None:
    assert configured_username(make_settings(tmp_path, bot_username=value)) == expected


def test_a_bot_username_that_cannot_be_one_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BOT_USERNAME"):
        configured_username(make_settings(tmp_path, bot_username="my bot!"))


async def test_the_bot_prepares_the_secret_and_remembers_its_username_at_startup(tmp_path: Path, clock) -> None:
    import json

    from bot.app import create_dispatcher, shutdown, startup
    from bot.ediary.demo import DemoProvider
    from bot.invite.username import CACHE_FILE_NAME, username_for_cli
    from tests.harness import MockedSession, make_bot

    settings = make_settings(tmp_path, bot_username=None)
    provider = await DemoProvider.open(settings.demo_database_path, clock)
    dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
    bot = make_bot(MockedSession())
    await startup(dp, bot)
    await shutdown(dp, bot)
    assert stat.S_IMODE((settings.data_dir / SECRET_FILE_NAME).stat().st_mode) == 0o600
    cached = json.loads((settings.data_dir / CACHE_FILE_NAME).read_text())
    assert cached == {"bot_id": 42, "username": "ediary_test_bot"}
    assert await username_for_cli(settings) == "ediary_test_bot"  # the CLI needs no call to Telegram now


async def test_a_bad_code_secret_stops_the_start(tmp_path: Path, clock) -> None:
    from bot.app import create_dispatcher, startup
    from bot.ediary.demo import DemoProvider
    from tests.harness import MockedSession, make_bot

    settings = make_settings(tmp_path, code_secret="tiny")
    provider = await DemoProvider.open(settings.demo_database_path, clock)
    dp = create_dispatcher(settings, clock=clock, provider=provider, run_scheduler=False, set_commands=False)
    try:
        with pytest.raises(SettingsError, match="CODE_SECRET is invalid"):
            await startup(dp, make_bot(MockedSession()))
        assert dp["ctx"].db is None  # a start that fails closes what it opened
    finally:
        await provider.close()
