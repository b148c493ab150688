"""`ediary-bot invite`: issue one-time link codes, or revoke them.

    ediary-bot invite --person p01 [--person s17 ...]          a readable table
    ediary-bot invite --class 5А [--role student|parent|all]   the class's students and/or parents
        --json                 JSON objects (person_id, name, role, classes, code, link, expires_at)
        --csv FILE             CSV for mail merge (UTF-8 with BOM, opens in Excel); '-' for stdout
        --html FILE            printable A4 sheet, a card with a QR code per person; '-' for stdout
        --lang ru|en           language of the sheet (default ru)
    ediary-bot invite --person p01 --revoke                    invalidate every unused code of p01
    ediary-bot invite revoke K7QF-93XM-RT2P                    invalidate one code

Bad arguments give one line `ediary-bot invite: error: ...` and exit code 2, and nothing is issued.
Files with codes are written atomically with 0600 permissions; if one cannot be written, the new codes
are revoked again (nobody holds them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.cli_support import command_clock as _clock
from bot.cli_support import fail
from bot.clock import Clock
from bot.config import Settings, SettingsError, load_settings
from bot.ediary.provider import EdiaryProvider, ProviderError
from bot.linking.codes import EXAMPLE_CODE, normalize_code
from bot.linking.people import CLASS_ROLES, Holder, class_holders, describe, match_class

PROG = "ediary-bot invite"


def _fail(message: str, code: int = 2) -> int:
    return fail(message, code, prog=PROG)
# bot.i18n.SUPPORTED_LOCALES and DEFAULT_LOCALE, not imported: bot.i18n loads aiogram, which every
# `ediary-bot` command would then wait for (a test keeps the two in step).
SHEET_LANGUAGES = ("ru", "en")
DEFAULT_SHEET_LANGUAGE = "ru"


class UsageError(Exception):
    """Bad arguments: one line, exit code 2, nothing changed."""


class Failure(Exception):
    """The command could not be carried out: one line, exit code 1."""


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments as one clear line (argparse prints the whole usage otherwise)."""

    def error(self, message: str):
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "invite", help="issue one-time codes that link Telegram accounts to e-diary people (or revoke them)",
        description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s (--person ID [--person ID ...] | --class NAME [--role ROLE]) [--json] [--csv FILE] "
              "[--html FILE] [--lang LANG] [--revoke]\n       %(prog)s revoke CODE")
    p.__class__ = OneLineParser  # subparsers are built by the top-level parser's class
    p.add_argument("--person", action="append", default=[], metavar="ID",
                   help="an e-diary person id (repeat for several; see `ediary-bot people`)")
    p.add_argument("--class", dest="class_name", metavar="NAME", help="a class, e.g. 5А")
    p.add_argument("--role", choices=CLASS_ROLES, help="with --class: students, parents or all (default)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--csv", metavar="FILE", help="write CSV for mail merge ('-': standard output)")
    p.add_argument("--html", metavar="FILE", help="write the printable A4 sheet ('-': standard output)")
    p.add_argument("--lang", choices=SHEET_LANGUAGES, default=DEFAULT_SHEET_LANGUAGE, help="language of the sheet")
    p.add_argument("--revoke", action="store_true", help="revoke the unused codes of these people instead")
    p.set_defaults(func=_invite, invite_action=None)
    actions = p.add_subparsers(dest="invite_action", metavar="revoke CODE")
    r = actions.add_parser("revoke", help="invalidate one code", prog=f"{PROG} revoke")
    r.__class__ = OneLineParser
    r.add_argument("code", help=f"the code as printed, e.g. {EXAMPLE_CODE}")
    r.set_defaults(func=_revoke_one)


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser with just this command (tests; bot/cli.py has the full one)."""
    parser = argparse.ArgumentParser(prog="ediary-bot")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def main(argv: list[str] | None = None, *, clock: Clock | None = None, settings: Settings | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.clock, args.settings = clock, settings
    return args.func(args)


@dataclass(frozen=True)
class Request:
    person_ids: list[str]
    class_name: str | None
    role: str
    revoke: bool
    json: bool
    csv: Path | None
    html: Path | None
    stdout: str | None  # which output owns standard output: 'json', 'csv', 'html' or None
    lang: str


def _invite(args: argparse.Namespace) -> int:
    try:
        request = _validate(args)
        settings = _settings(args)
        return asyncio.run(_issue_or_revoke(request, settings, _clock(args, settings)))
    except (UsageError, SettingsError) as exc:
        return _fail(str(exc))
    except (Failure, ProviderError) as exc:
        return _fail(str(exc), code=1)


def _validate(args: argparse.Namespace) -> Request:
    person_ids = list(dict.fromkeys(p.strip() for p in args.person))
    if any(not p for p in person_ids):
        raise UsageError("--person needs an id, e.g. --person p01")
    if bool(person_ids) == bool(args.class_name):
        raise UsageError("say whom the codes are for: --person ID [--person ID ...] or --class NAME")
    if args.class_name is not None and not args.class_name.strip():
        raise UsageError("--class needs a class name, e.g. --class 5А")
    if args.role and not args.class_name:
        raise UsageError("--role goes with --class (with --person, each person's own role is used)")
    outputs = [name for name in ("json", "csv", "html") if getattr(args, name)]
    if args.revoke and outputs:
        raise UsageError(f"--revoke prints a summary only; drop --{outputs[0]}")
    to_stdout = [name for name in outputs if name == "json" or getattr(args, name) == "-"]
    if len(to_stdout) > 1:
        raise UsageError("only one output can go to standard output: " + ", ".join(f"--{n}" for n in to_stdout))
    return Request(person_ids, args.class_name.strip() if args.class_name else None, args.role or "all",
                   args.revoke, args.json, _output_path(args.csv, "--csv"), _output_path(args.html, "--html"),
                   to_stdout[0] if to_stdout else None, args.lang)


def _output_path(value: str | None, option: str) -> Path | None:
    if value is None or value == "-":
        return None
    path = Path(value).expanduser()
    if path.is_dir():
        raise UsageError(f"{option}: {value} is a directory; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{option}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{option}: cannot write {value} (permission denied)")
    return path


async def _issue_or_revoke(request: Request, settings: Settings, clock: Clock) -> int:
    from bot.ediary import open_provider
    from storage.db import Database

    provider = await open_provider(settings, clock)
    try:
        holders, class_name = await _resolve(provider, request)
        db = await Database.open(settings.database_path)
        try:
            if request.revoke:
                return await _revoke_people(db, holders, clock)
            return await _issue(db, request, settings, clock, holders, class_name)
        finally:
            await db.close()
    finally:
        await provider.close()


async def _resolve(provider: EdiaryProvider, request: Request) -> tuple[list[Holder], str | None]:
    if request.class_name is not None:
        known = await provider.list_classes()
        class_name = match_class(request.class_name, known)
        if class_name is None:
            raise UsageError(f"unknown class {request.class_name!r} (classes: {', '.join(known)})")
        holders = await class_holders(provider, class_name, request.role)
        if not holders:
            raise UsageError(f"nobody to invite in {class_name} with --role {request.role}")
        return holders, class_name
    holders, unknown = [], []
    for person_id in request.person_ids:
        holder = await describe(provider, person_id)
        if holder is None:
            unknown.append(person_id)
        else:
            holders.append(holder)
    if unknown:
        raise UsageError(f"unknown person id(s): {', '.join(unknown)} (see `ediary-bot people`)")
    return holders, None


async def _issue(db, request: Request, settings: Settings, clock: Clock, holders: list[Holder],
                 class_name: str | None) -> int:
    from bot.linking import export
    from bot.linking.issue import issue_codes, last_valid_day, revoke_batch
    from bot.linking.secret import code_hasher
    from bot.linking.sheet import render_sheet
    from bot.linking.texts import sheet_title
    from bot.linking.username import UsernameUnavailable, username_for_cli

    hasher = code_hasher(settings)
    try:
        username = await username_for_cli(settings)
    except UsernameUnavailable as exc:
        raise Failure(str(exc)) from None
    now, tz = clock.now(), settings.tz
    invitations = await issue_codes(db, hasher, holders, bot_username=username, now=now,
                                    ttl_days=settings.code_ttl_days, tz=tz, issued_by=None, via="cli")
    rendered: dict[str, str] = {}
    if request.csv is not None or request.stdout == "csv":
        rendered["csv"] = export.as_csv(invitations, tz)
    if request.html is not None or request.stdout == "html":
        from bot.i18n import create_i18n  # loads aiogram: only when a sheet is asked for

        i18n = create_i18n()
        title = sheet_title(lambda m: i18n.gettext(m, locale=request.lang), class_name=class_name,
                            role=request.role if class_name else None)
        rendered["html"] = render_sheet(invitations, title=title, bot_username=username, i18n=i18n,
                                        locale=request.lang, tz=tz, issued_at=now)
    written = []
    try:
        for name, path in (("csv", request.csv), ("html", request.html)):
            if path is not None:
                export.write_private(path, rendered[name], bom=name == "csv")
                written.append(path)
    except OSError as exc:
        await revoke_batch(db, invitations, now, via="cli")
        raise Failure(f"could not write {exc.filename or 'the file'}: {exc.strerror or exc}; "
                      f"the {len(invitations)} new code(s) were revoked") from None

    until = last_valid_day(invitations[0].expires_at, tz).isoformat()
    summary = [f"wrote {len(invitations)} code(s) to {path}" for path in written]
    summary.append(f"{len(invitations)} code(s) issued, valid through {until} ({settings.timezone}); "
                   "each works once. Only hashes are stored: keep this output private.")
    if request.stdout == "json":
        print(export.as_json(invitations, tz))
    elif request.stdout is not None:
        sys.stdout.write(("\ufeff" if request.stdout == "csv" else "") + rendered[request.stdout])
    elif not written:
        print(export.as_table(invitations))
    print("\n".join(summary), file=sys.stderr if request.stdout is not None else sys.stdout)
    return 0


async def _revoke_people(db, holders: list[Holder], clock: Clock) -> int:
    from bot.linking.issue import revoke_person

    for holder in holders:
        count = await revoke_person(db, holder.id, clock.now(), via="cli")
        print(f"{holder.id} ({holder.person.full_name}): revoked {count} unused code(s)")
    return 0


def _revoke_one(args: argparse.Namespace) -> int:
    try:
        if args.person or args.class_name or args.role or args.json or args.csv or args.html or args.revoke:
            raise UsageError("`invite revoke CODE` takes no other options")
        canonical = normalize_code(args.code)
        if canonical is None:
            raise UsageError(f"{args.code!r} is not a code: codes look like {EXAMPLE_CODE}")
        settings = _settings(args)
        return asyncio.run(_revoke_code(canonical, settings, _clock(args, settings)))
    except (UsageError, SettingsError) as exc:
        return _fail(str(exc))
    except Failure as exc:
        return _fail(str(exc), code=1)


async def _revoke_code(canonical: str, settings: Settings, clock: Clock) -> int:
    from bot.linking.issue import revoke_code
    from bot.linking.secret import code_hasher
    from storage import codes as codes_repo
    from storage.db import Database

    hasher = code_hasher(settings)
    db = await Database.open(settings.database_path)
    try:
        result = await revoke_code(db, hasher, canonical, clock.now(), via="cli")
    finally:
        await db.close()
    stored = result.found
    if stored is None:
        raise Failure("no such code (check it; codes issued before CODE_SECRET changed are not known either)")
    owner = f"the code of {stored.person_id}"
    if result.revoked:
        print(f"revoked {owner}")
        return 0
    if result.status_before == codes_repo.USED:
        raise Failure(f"{owner} was already used on {_day(stored.used_at, settings)}; it cannot be revoked "
                      "(the person can /unlink in the bot)")
    if result.status_before == codes_repo.REVOKED:
        print(f"{owner} was already revoked on {_day(stored.revoked_at, settings)}")
    else:
        print(f"{owner} already expired; nothing to do")
    return 0


def _day(moment, settings: Settings) -> str:
    return moment.astimezone(settings.tz).date().isoformat() if moment else "?"


def _settings(args: argparse.Namespace) -> Settings:
    return getattr(args, "settings", None) or load_settings()




if __name__ == "__main__":
    sys.exit(main())
