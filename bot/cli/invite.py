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

Arguments are parsed and checked here; bot/cli/invite_actions.py carries the command out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bot.cli.invite_actions import Failure, Request, issue_or_revoke, revoke_one_code
from bot.cli.support import UsageError, fail, load
from bot.cli.support import command_clock as _clock
from bot.codes.code import EXAMPLE_CODE, normalize_code
from bot.config import SettingsError
from bot.ediary.provider import ProviderError
from bot.invite.people import CLASS_ROLES

PROG = "ediary-bot invite"
# bot.i18n.SUPPORTED_LOCALES and DEFAULT_LOCALE, not imported: bot.i18n loads aiogram, which every
# `ediary-bot` command would then wait for (a test keeps the two in step).
SHEET_LANGUAGES = ("ru", "en")
DEFAULT_SHEET_LANGUAGE = "ru"


def _fail(message: str, code: int = 2) -> int:
    return fail(message, code, prog=PROG)


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
        "invite",
        help="issue one-time codes that link Telegram accounts to e-diary people (or revoke them)",
        description=__doc__.split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s (--person ID [--person ID ...] | --class NAME [--role ROLE]) [--json] [--csv FILE] "
        "[--html FILE] [--lang LANG] [--revoke]\n       %(prog)s revoke CODE",
    )
    p.__class__ = OneLineParser  # subparsers are built by the top-level parser's class
    p.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="ID",
        help="an e-diary person id (repeat for several; see `ediary-bot people`)",
    )
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


def _invite(args: argparse.Namespace) -> int:
    try:
        request = _validate(args)
        settings = load(args)
        return asyncio.run(issue_or_revoke(request, settings, _clock(args, settings)))
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
    return Request(
        person_ids,
        args.class_name.strip() if args.class_name else None,
        args.role or "all",
        args.revoke,
        args.json,
        _output_path(args.csv, "--csv"),
        _output_path(args.html, "--html"),
        to_stdout[0] if to_stdout else None,
        args.lang,
    )


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


def _revoke_one(args: argparse.Namespace) -> int:
    try:
        if args.person or args.class_name or args.role or args.json or args.csv or args.html or args.revoke:
            raise UsageError("`invite revoke CODE` takes no other options")
        canonical = normalize_code(args.code)
        if canonical is None:
            raise UsageError(f"{args.code!r} is not a code: codes look like {EXAMPLE_CODE}")
        settings = load(args)
        return asyncio.run(revoke_one_code(canonical, settings, _clock(args, settings)))
    except (UsageError, SettingsError) as exc:
        return _fail(str(exc))
    except Failure as exc:
        return _fail(str(exc), code=1)
