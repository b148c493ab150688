"""Staff commands for Дневник.ру: `ediary-bot dnevnik authorize` (the partner code grant) and
`ediary-bot dnevnik check` (who the token is, and which endpoints the bot needs it may read).

bot/cli/ wires `register(subparsers)` into `ediary-bot`; every command sets `func(args) -> exit code`. Bad
arguments give one line `ediary-bot: error: ...` on stderr and exit code 2; an e-diary that refuses or fails
gives exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from bot.cli.support import PROG, command_clock, fail, load
from bot.clock import Clock
from bot.config import Settings, SettingsError
from bot.ediary.dnevnik.auth import (
    TOKEN_FILE_NAME,
    AuthorizeError,
    OAuthApp,
    StoredToken,
    TokenFile,
    code_from,
    exchange_code,
    missing_oauth_settings,
)
from bot.ediary.dnevnik.client import DnevnikClient
from bot.ediary.dnevnik.errors import DnevnikApiError
from bot.ediary.dnevnik.reads import path_from, path_to
from bot.ediary.dnevnik.tokens import StaticToken, TokenSource, token_source
from bot.ediary.provider import IncompleteAnswer, ProviderAuthError, ProviderError, ProviderUnavailable


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("dnevnik", help="Дневник.ру: authorize the bot, check what its token may read")
    group.set_defaults(func=lambda args: fail("dnevnik: choose a command (see ediary-bot dnevnik --help)"))
    commands = group.add_subparsers(dest="dnevnik_command", metavar="COMMAND")

    p = commands.add_parser(
        "authorize",
        help="sign the bot in with the school's partner application (OAuth2 code grant)",
        description="Prints the address to open in a browser; paste back the code or the whole address Дневник.ру "
        "redirects to. Needs DNEVNIK_CLIENT_ID, DNEVNIK_CLIENT_SECRET and DNEVNIK_REDIRECT_URI.",
    )
    p.add_argument("--code", metavar="CODE_OR_REDIRECT_URL", help="skip the prompt: the code or the redirect address")
    p.set_defaults(func=_authorize)

    p = commands.add_parser("check", help="who the token belongs to and which endpoints the bot needs answer")
    p.set_defaults(func=_check)


# authorize
def _authorize(args: argparse.Namespace) -> int:
    try:
        settings = load(args)
    except SettingsError as exc:
        return fail(str(exc))
    missing = missing_oauth_settings(settings)
    if missing:
        return fail(
            f"dnevnik authorize needs {', '.join(missing)} (the school's partner application; see .env.example)"
        )
    app = OAuthApp.from_settings(settings, getattr(args, "login_url", None))
    assert app is not None
    state = secrets.token_urlsafe(16)
    print("Open this address in a browser signed in to Дневник.ру with the account the bot should use, allow access,")
    print("then paste the address you are sent to (or just its code):")
    print(app.authorization_url(state))
    pasted = args.code if args.code is not None else sys.stdin.readline()
    try:
        code = code_from(pasted, None if args.code is not None else state)
        token, who = asyncio.run(_exchange(settings, command_clock(args, settings), app, code))
    except AuthorizeError as exc:
        return fail(str(exc))
    except ProviderError as exc:
        return fail(str(exc), code=1)
    expiry = f" until {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    print(f"Authorized as {who}.")
    renews = "the bot renews it itself" if token.refresh_token else "no refresh token: authorize again before then"
    print(f"Token saved to {settings.data_dir / TOKEN_FILE_NAME} (valid{expiry}; {renews}).")
    return 0


async def _exchange(settings: Settings, clock: Clock, app: OAuthApp, code: str) -> tuple[StoredToken, str]:
    client = DnevnikClient(settings.dnevnik_api_url, None)
    try:
        token = await exchange_code(client, app, code, clock.now())
    finally:
        await client.aclose()
    TokenFile(settings.data_dir / TOKEN_FILE_NAME).save(token)  # before anything else can fail: a code works once
    client = DnevnikClient(settings.dnevnik_api_url, StaticToken(token.access_token))
    try:
        context = await client.get("users/me/context", "users/me/context")
        return token, await _who(client, context)
    finally:
        await client.aclose()


async def _who(client: DnevnikClient, context: Any) -> str:
    """'Name (roles)' of the token's owner."""
    if not isinstance(context, dict):
        raise IncompleteAnswer("Дневник.ру users/me/context: expected an object")
    roles = ", ".join(r for r in context.get("roles") or [] if isinstance(r, str)) or "no roles"
    person_id = context.get("personId_str") or context.get("personId")
    name = f"person {person_id}"
    if person_id is not None:
        person = await client.get(f"persons/{person_id}", "persons/{p}")
        if isinstance(person, dict):
            parts = [person.get(k) for k in ("lastName", "firstName", "middleName")]
            name = " ".join(p for p in parts if isinstance(p, str) and p) or name
    return f"{name} ({roles})"


# check
def _check(args: argparse.Namespace) -> int:
    try:
        settings = load(args)
        clock = command_clock(args, settings)
        tokens = token_source(settings, clock, getattr(args, "login_url", None))
    except SettingsError as exc:
        return fail(str(exc))
    try:
        return asyncio.run(_run_check(settings, clock, tokens))
    except ProviderError as exc:
        return fail(str(exc), code=1)


async def _run_check(settings: Settings, clock: Clock, tokens: TokenSource) -> int:
    client = DnevnikClient(settings.dnevnik_api_url, tokens, max_concurrency=settings.dnevnik_max_concurrency)
    try:
        status = tokens.status()
        expiry = f", expires {status.expires_at:%Y-%m-%d %H:%M} UTC" if status.expires_at else ""
        print(f"Token: {tokens.description}{expiry}")
        context = await client.get("users/me/context", "users/me/context")
        print(f"Belongs to: {await _who(client, context)}")
        schools = [(str(s.get("id_str") or s.get("id")), str(s.get("name"))) for s in _objects(context, "schools")]
        print("Schools: " + ("; ".join(f"{sid} {name}" for sid, name in schools) or "none"))
        school_id = settings.dnevnik_school_id or (schools[0][0] if len(schools) == 1 else None)
        if school_id is None:
            print("Set DNEVNIK_SCHOOL_ID to one of the schools above.")
            return 1
        return await _probe_all(client, school_id, clock.today())
    finally:
        await client.aclose()


async def _probe_all(client: DnevnikClient, school: str, today: date) -> int:
    rows: list[tuple[str, str]] = [("users/me/context", "OK")]
    found: dict[str, Any] = {}

    async def probe(endpoint: str, path: str, params: dict[str, str] | None = None) -> Any:
        rows.append((endpoint, await _result(lambda: client.get(path, endpoint, params), found, endpoint)))
        return found.get(endpoint)

    groups = await probe("schools/{s}/edu-groups", f"schools/{school}/edu-groups")
    classes = [g for g in groups or [] if isinstance(g, dict) and str(g.get("type", "Group")).casefold() == "group"]
    print("Classes: " + (", ".join(str(g.get("name")) for g in classes) or "none seen"))
    await probe("schools/{s}/teachers", f"schools/{school}/teachers")
    await probe("work-types/{s}", f"work-types/{school}")
    if not classes:
        rows.append(("edu-groups/{g}/...", "skipped: no class seen"))
        return _print_table(rows)
    g = classes[0].get("id_str") or classes[0].get("id")
    pupils = await probe("edu-groups/{g}/persons", f"edu-groups/{g}/persons")
    for what in ("teachers", "subjects", "reporting-periods", "timetables", "final-marks"):
        await probe(f"edu-groups/{{g}}/{what}", f"edu-groups/{g}/{what}")
    week = f"{path_from(today - timedelta(days=7))}/{path_to(today + timedelta(days=7))}"
    await probe("edu-groups/{g}/lessons", f"edu-groups/{g}/lessons/{week}")
    await probe("edu-groups/{g}/marks", f"edu-groups/{g}/marks/{week}")
    pupil = next((p for p in pupils or [] if isinstance(p, dict) and (p.get("userId_str") or p.get("userId"))), None)
    if pupil is None:
        rows.append(("persons/{p}/...", "skipped: no pupil with an account seen"))
        return _print_table(rows)
    p, user = pupil.get("id_str") or pupil.get("id"), pupil.get("userId_str") or pupil.get("userId")
    await probe("users/{u}/relatives", f"users/{user}/relatives")
    span = {"startDate": path_from(today), "endDate": path_to(today)}
    await probe("persons/{p}/groups/{g}/schedules", f"persons/{p}/groups/{g}/schedules", span)
    await probe("persons/{p}/group/{g}/recentmarks", f"persons/{p}/group/{g}/recentmarks", {"limit": "1"})
    return _print_table(rows)


async def _result(call: Callable[[], Awaitable[Any]], found: dict[str, Any], key: str) -> str:
    try:
        found[key] = await call()
    except ProviderAuthError as exc:
        return f"missing scope {exc.missing_scope}" if exc.missing_scope else "forbidden"
    except DnevnikApiError as exc:
        return f"error ({exc.error_type or f'HTTP {exc.status}'})"
    except ProviderUnavailable:
        return "error (unavailable)"
    except IncompleteAnswer:
        return "error (malformed answer)"
    return "OK"


def _print_table(rows: list[tuple[str, str]]) -> int:
    width = max(len(endpoint) for endpoint, _ in rows)
    print(f"{'ENDPOINT':<{width}}  RESULT")
    for endpoint, result in rows:
        print(f"{endpoint:<{width}}  {result}")
    ok = all(result == "OK" for _, result in rows)
    print("All endpoints the bot needs answer." if ok else "Some endpoints the bot needs do not answer (see above).")
    return 0 if ok else 1


def _objects(record: Any, name: str) -> list[dict[str, Any]]:
    value = record.get(name) if isinstance(record, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def main(argv: list[str] | None = None, *, clock: Clock | None = None) -> int:
    """Stand-alone entry (the full `ediary-bot` parser in bot/cli/ registers these commands too)."""
    parser = argparse.ArgumentParser(prog=PROG)
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    args.clock = clock
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
