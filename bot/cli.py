"""`ediary-bot` command line: run the bot, migrate the database, and the staff commands of each feature."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import SettingsError, load_settings

PROG = "ediary-bot"


def _run(args: argparse.Namespace) -> int:
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import run_polling
    from bot.logging_setup import setup_logging

    settings = load_settings()
    settings.require_token()
    setup_logging(settings.log_level)
    try:
        asyncio.run(run_polling(settings))
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


def _migrate(args: argparse.Namespace) -> int:
    from storage.db import Database
    from storage.migrations import schema_version

    settings = load_settings()

    async def migrate() -> tuple[list[int], int]:
        db = await Database.open(settings.database_path, migrate=False)
        try:
            from storage.migrations import apply_migrations

            applied = await apply_migrations(db)
            return applied, await schema_version(db)
        finally:
            await db.close()

    applied, version = asyncio.run(migrate())
    if applied:
        print(f"applied migration(s) {', '.join(map(str, applied))}; schema version {version}")
    else:
        print(f"database is up to date (schema version {version})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Telegram front end to school e-diaries.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the bot (long polling)")
    run.set_defaults(func=_run)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("migrate", help="apply pending migrations").set_defaults(func=_migrate)

    from bot import cli_ediary

    cli_ediary.register(commands)
    for module_name in CLI_FEATURES:
        __import__(f"bot.{module_name}", fromlist=["register"]).register(commands)
    return parser


# Feature modules that add subcommands with register(subparsers).
CLI_FEATURES: list[str] = ["cli_invite"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
