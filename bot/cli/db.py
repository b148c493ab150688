"""`ediary-bot db ...`: database maintenance."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.support import fail, load


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser("migrate", help="apply pending migrations").set_defaults(func=_migrate)
    backup = actions.add_parser("backup", help="copy the database to FILE, consistent while the bot runs")
    backup.add_argument("file", metavar="FILE", type=Path, help="where the copy goes (replaced if present)")
    backup.set_defaults(func=_backup)
    actions.add_parser("check", help="run SQLite's integrity check on the database").set_defaults(func=_check)


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


def _backup(args: argparse.Namespace) -> int:
    from bot.codes.secret import secret_path
    from storage.backup import BackupError, backup

    settings = load(args)
    destination: Path = args.file
    if destination.resolve() == settings.database_path.resolve():
        return fail("FILE is the database itself: choose another path")
    try:
        size = backup(settings.database_path, destination)
    except BackupError as exc:
        return fail(str(exc), code=1)
    print(f"backed up {settings.database_path} to {destination} ({size} bytes, integrity ok)")
    if settings.code_secret is None:
        print(f"keep a copy of {secret_path(settings)} too: the codes issued so far need it")
    return 0


def _check(args: argparse.Namespace) -> int:
    from storage.backup import integrity_problems

    settings = load(args)
    if not settings.database_path.is_file():
        return fail(f"{settings.database_path} does not exist", code=1)
    problems = integrity_problems(settings.database_path)
    if problems:
        for problem in problems:
            print(problem)
        return fail(f"{settings.database_path} failed the integrity check", code=1)
    print(f"{settings.database_path}: integrity ok")
    return 0
