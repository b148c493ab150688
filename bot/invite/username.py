"""The bot's @username for t.me links: BOT_USERNAME, else Telegram's getMe (cached).

The running bot asks getMe once (aiogram caches it) and writes the answer to the data directory, so the
`invite` command finds it without asking Telegram again; the cache is keyed by the bot id of BOT_TOKEN.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, SettingsError

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "bot_username.json"
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")  # Telegram: 5-32 characters


class UsernameUnavailable(Exception):
    """Telegram could not be asked; one line for the admin."""


def configured_username(settings: Settings) -> str | None:
    """BOT_USERNAME without '@' or a t.me prefix; SettingsError when it cannot be a username."""
    if not settings.bot_username:
        return None
    value = settings.bot_username.strip().removeprefix("https://").removeprefix("t.me/").lstrip("@")
    if not _USERNAME.match(value):
        raise SettingsError(
            f"BOT_USERNAME is invalid: {settings.bot_username!r} is not a Telegram username "
            "(5-32 letters, digits or _, e.g. my_school_bot)"
        )
    return value


async def bot_username(settings: Settings, bot: Bot) -> str:
    """For the running bot: BOT_USERNAME or getMe (aiogram keeps the answer for the process)."""
    return configured_username(settings) or (await bot.me()).username or ""


async def remember_username(settings: Settings, bot: Bot) -> None:
    """At startup: cache getMe's username for the CLI (only when BOT_USERNAME is not set)."""
    if configured_username(settings) is not None:
        return
    me = await bot.me()
    if me.username and _read_cache(settings, me.id) != me.username:
        _write_cache(settings, me.id, me.username)


async def username_for_cli(settings: Settings) -> str:
    """For `ediary-bot invite`: BOT_USERNAME, the cached getMe answer, or getMe now with BOT_TOKEN."""
    configured = configured_username(settings)
    if configured is not None:
        return configured
    if settings.bot_token is None:
        raise SettingsError(
            "BOT_USERNAME is not set: set it to the bot's username (e.g. BOT_USERNAME=my_school_bot) "
            "or set BOT_TOKEN so that I can ask Telegram"
        )
    bot_id = int(settings.require_token().split(":", 1)[0])
    cached = _read_cache(settings, bot_id)
    if cached:
        return cached
    username = await _get_me_username(settings)
    _write_cache(settings, bot_id, username)
    return username


async def _get_me_username(settings: Settings) -> str:
    """One getMe over plain HTTP: loading aiogram would cost the command seconds for this single call."""
    import httpx

    url = f"{settings.telegram_api_url}/bot{settings.require_token()}/getMe"
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            response = await client.get(url)
        answer = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise UsernameUnavailable(
            f"could not ask Telegram for the bot's username ({type(exc).__name__}); "
            "set BOT_USERNAME to issue codes offline"
        ) from None
    if not (isinstance(answer, dict) and answer.get("ok")):
        description = answer.get("description") if isinstance(answer, dict) else None
        raise UsernameUnavailable(
            f"Telegram refused getMe ({description or response.status_code}): check BOT_TOKEN, or set BOT_USERNAME"
        )
    username = (answer.get("result") or {}).get("username")
    if not username:
        raise UsernameUnavailable("Telegram returned no username for this bot; set BOT_USERNAME")
    return str(username)


def _cache_path(settings: Settings) -> Path:
    return settings.data_dir / CACHE_FILE_NAME


def _read_cache(settings: Settings, bot_id: int) -> str | None:
    try:
        data = json.loads(_cache_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and data.get("bot_id") == bot_id and _USERNAME.match(str(data.get("username", ""))):
        return str(data["username"])
    return None


def _write_cache(settings: Settings, bot_id: int, username: str) -> None:
    path = _cache_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"bot_id": bot_id, "username": username}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:  # only a cache: the CLI will ask Telegram itself
        log.warning("could not cache the bot username in %s: %s", path, exc.strerror or exc)
