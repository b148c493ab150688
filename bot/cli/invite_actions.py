"""Carrying out `ediary-bot invite` once its arguments are valid (bot/cli/invite.py): find the people,
issue codes and write the table/JSON/CSV/sheet, or revoke codes, printing a summary.

Heavy modules (storage, the sheet, aiogram via bot.i18n) are imported inside the functions, so other
`ediary-bot` commands start without them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bot.cli.support import UsageError
from bot.clock import Clock
from bot.codes.holder import Holder, describe
from bot.config import Settings
from bot.ediary.provider import EdiaryProvider
from bot.invite.people import class_holders, match_class


class Failure(Exception):
    """The command could not be carried out: one line, exit code 1."""


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


async def issue_or_revoke(request: Request, settings: Settings, clock: Clock) -> int:
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


async def _issue(
    db, request: Request, settings: Settings, clock: Clock, holders: list[Holder], class_name: str | None
) -> int:
    from bot.codes.secret import code_hasher
    from bot.codes.validity import last_valid_day
    from bot.invite import export
    from bot.invite.issue import issue_codes, revoke_batch
    from bot.invite.sheet import render_sheet, sheet_title
    from bot.invite.username import UsernameUnavailable, username_for_cli

    hasher = code_hasher(settings)
    try:
        username = await username_for_cli(settings)
    except UsernameUnavailable as exc:
        raise Failure(str(exc)) from None
    now, tz = clock.now(), settings.tz
    invitations = await issue_codes(
        db,
        hasher,
        holders,
        bot_username=username,
        now=now,
        ttl_days=settings.code_ttl_days,
        tz=tz,
        issued_by=None,
        via="cli",
    )
    rendered: dict[str, str] = {}
    if request.csv is not None or request.stdout == "csv":
        rendered["csv"] = export.as_csv(invitations, tz)
    if request.html is not None or request.stdout == "html":
        from bot.i18n import create_i18n  # loads aiogram: only when a sheet is asked for

        i18n = create_i18n()
        title = sheet_title(
            lambda m: i18n.gettext(m, locale=request.lang),
            class_name=class_name,
            role=request.role if class_name else None,
        )
        rendered["html"] = render_sheet(
            invitations, title=title, bot_username=username, i18n=i18n, locale=request.lang, tz=tz, issued_at=now
        )
    written = []
    try:
        for name, path in (("csv", request.csv), ("html", request.html)):
            if path is not None:
                export.write_private(path, rendered[name], bom=name == "csv")
                written.append(path)
    except OSError as exc:
        await revoke_batch(db, invitations, now, via="cli")
        raise Failure(
            f"could not write {exc.filename or 'the file'}: {exc.strerror or exc}; "
            f"the {len(invitations)} new code(s) were revoked"
        ) from None

    until = last_valid_day(invitations[0].expires_at, tz).isoformat()
    summary = [f"wrote {len(invitations)} code(s) to {path}" for path in written]
    summary.append(
        f"{len(invitations)} code(s) issued, valid through {until} ({settings.timezone}); "
        "each works once. Only hashes are stored: keep this output private."
    )
    if request.stdout == "json":
        print(export.as_json(invitations, tz))
    elif request.stdout is not None:
        sys.stdout.write(("\ufeff" if request.stdout == "csv" else "") + rendered[request.stdout])
    elif not written:
        print(export.as_table(invitations))
    print("\n".join(summary), file=sys.stderr if request.stdout is not None else sys.stdout)
    return 0


async def _revoke_people(db, holders: list[Holder], clock: Clock) -> int:
    from bot.invite.issue import revoke_person

    for holder in holders:
        count = await revoke_person(db, holder.id, clock.now(), via="cli")
        print(f"{holder.id} ({holder.person.full_name}): revoked {count} unused code(s)")
    return 0


async def revoke_one_code(canonical: str, settings: Settings, clock: Clock) -> int:
    from bot.codes.secret import code_hasher
    from bot.invite.issue import revoke_code
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
        raise Failure(
            f"{owner} was already used on {_day(stored.used_at, settings)}; it cannot be revoked "
            "(the person can /unlink in the bot)"
        )
    if result.status_before == codes_repo.REVOKED:
        print(f"{owner} was already revoked on {_day(stored.revoked_at, settings)}")
    else:
        print(f"{owner} already expired; nothing to do")
    return 0


def _day(moment, settings: Settings) -> str:
    return moment.astimezone(settings.tz).date().isoformat() if moment else "?"
