"""`ediary-bot report`: the PDF report a family gets with /report, for staff.

    ediary-bot report --student s01 --period 2 --out report.pdf [--lang ru|en]

--period is the e-diary's period id (see the error's list), its number in the year (1 is the first), or
"year". Bad arguments give one line `ediary-bot: error: ...` and exit code 2, and nothing is written; an
e-diary that does not answer gives exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from bot.cli.support import UsageError, command_clock, fail, load
from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.model import Period
from bot.ediary.provider import ProviderError

LANGUAGES = ("ru", "en")  # bot.i18n.SUPPORTED_LOCALES, not imported: it loads aiogram for every command


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report",
        help="write a child's PDF report for a period (what /report sends)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--student", required=True, metavar="ID", help="the student's e-diary id (see `ediary-bot people`)")
    p.add_argument("--period", required=True, metavar="P", help='a period id, its number (1 = the first), or "year"')
    p.add_argument("--out", required=True, metavar="FILE", type=Path, help="where to write the PDF")
    p.add_argument("--lang", choices=LANGUAGES, default="ru", help="the report's language (default ru)")
    p.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    out: Path = args.out
    if not out.parent.is_dir():
        return fail(f"cannot write {out}: no such folder {out.parent}")
    try:
        settings = load(args)
        pdf, period_id = asyncio.run(_make(settings, command_clock(args, settings), args))
    except (UsageError, SettingsError) as exc:
        return fail(str(exc))
    except ProviderError as exc:
        return fail(f"the e-diary did not answer: {exc}", code=1)
    try:
        _write(out, pdf)
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote {out} ({len(pdf)} bytes): student {args.student}, period {period_id}")
    return 0


async def _make(settings: Settings, clock: Clock, args: argparse.Namespace) -> tuple[bytes, str]:
    from bot.ediary import open_provider
    from bot.gradebook.analysis import Rounding
    from bot.gradebook.periods import short_key
    from bot.gradebook.render import off_loop
    from bot.i18n import create_i18n
    from bot.report.content import gather
    from bot.report.pdf import render_pdf
    from bot.ui import Translator

    provider = await open_provider(settings, clock)
    try:
        student = await provider.get_student(args.student)
        if student is None:
            raise UsageError(f"unknown student {args.student!r} (see `ediary-bot people --role student`)")
        period = _period(await provider.periods(), args.period)
        content = await gather(
            provider,
            student,
            "y" if period is None else short_key(period.id),
            clock.today(),
            Rounding(settings.grade_rounding),
            Translator(create_i18n(), args.lang),
            compare=settings.class_comparison,
        )
    finally:
        await provider.close()
    return await off_loop(render_pdf, content), "year" if period is None else period.id


def _period(periods: list[Period], wanted: str) -> Period | None:
    """The period `wanted` names (None: the whole year)."""
    text = wanted.strip()
    if text.casefold() == "year":
        return None
    for period in periods:
        if period.id == text:
            return period
    if text.isdigit() and 1 <= int(text) <= len(periods):
        return periods[int(text) - 1]
    known = ", ".join(f"{n} = {p.id}" for n, p in enumerate(periods, start=1))
    raise UsageError(f"unknown period {wanted!r} (periods: {known or 'none'}; or year)")


def _write(out: Path, data: bytes) -> None:
    """Whole or not at all: a temporary file beside it, renamed into place."""
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
