"""`ediary-bot`: run the bot, maintain its database, and the staff commands, one module per command group.

Each module has `register(subparsers)`; every command sets `func(args) -> exit code`. Bad arguments give one
line `ediary-bot: error: ...` on stderr and exit code 2, and nothing is written. aiogram (heavy) is imported
inside the commands that need it, so that every other command starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import db, demo, dnevnik, invite, mesh, people, report, run
from bot.cli.support import PROG, fail
from bot.clock import Clock
from bot.config import Settings, SettingsError

# The command groups, in the order `ediary-bot --help` lists them.
GROUPS = (run, db, people, invite, report, demo, dnevnik, mesh)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Telegram front end to school e-diaries.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None, settings: Settings | None = None) -> int:
    """`clock` and `settings` are for tests; staff get the real clock and the environment's settings."""
    args = build_parser().parse_args(argv)
    args.clock, args.settings = clock, settings
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        return fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
