"""`ediary-bot run`: the bot itself (long polling, or a webhook server with WEBHOOK_URL)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.support import PROG, load


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("run", help="run the bot (long polling, or a webhook server with WEBHOOK_URL)").set_defaults(
        func=_run
    )


def _run(args: argparse.Namespace) -> int:
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import run
    from bot.logging_setup import setup_logging

    settings = load(args)
    settings.require_token()
    if settings.webhook_url is not None:
        settings.require_webhook_secret()
    setup_logging(settings.log_level, settings.log_format)
    try:
        asyncio.run(run(settings))
    except KeyboardInterrupt:  # a second Ctrl+C during shutdown
        pass
    except TelegramUnauthorizedError:
        print(
            f"{PROG}: error: Telegram rejected BOT_TOKEN (401 Unauthorized): check it with @BotFather", file=sys.stderr
        )
        return 2
    except TelegramNetworkError as exc:
        print(
            f"{PROG}: error: cannot reach the Bot API at {settings.telegram_api_url} ({exc.message})", file=sys.stderr
        )
        return 1
    return 0
