"""`ediary-bot db ...`: database maintenance."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.support import load


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser("migrate", help="apply pending migrations").set_defaults(func=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    from storage.db import Database
    from storage.migrations import schema_version

    settings = load(args)

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
