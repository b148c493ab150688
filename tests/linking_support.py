"""Helpers shared by the linking and invite tests (this module holds no tests itself)."""

from __future__ import annotations

from aiogram.types import Message

from bot.codes.holder import describe
from bot.codes.secret import code_hasher
from bot.invite.issue import Invitation, issue_codes
from storage import codes as codes_repo
from tests.conftest import App


async def issue(app: App, *person_ids: str) -> list[Invitation]:
    """Codes issued as the CLI would (straight through the issuing service)."""
    provider, settings = app.ctx.provider, app.ctx.settings
    holders = [await describe(provider, person_id) for person_id in person_ids]
    return await issue_codes(
        app.db,
        code_hasher(settings),
        holders,
        bot_username="ediary_test_bot",
        now=app.clock.now(),
        ttl_days=settings.code_ttl_days,
        tz=settings.tz,
        issued_by=None,
        via="test",
    )


async def one_code(app: App, person_id: str) -> Invitation:
    [invitation] = await issue(app, person_id)
    return invitation


async def stored(app: App, invitation: Invitation) -> codes_repo.StoredCode:
    code = await codes_repo.get_code(app.db, invitation.code_id)
    assert code is not None
    return code


async def database_dump(app: App) -> str:
    """Every value of every table, as text (to prove a code never lands anywhere in clear)."""
    tables = [r[0] for r in await app.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    values = []
    for table in tables:
        for row in await app.db.fetchall(f"SELECT * FROM {table}"):
            values.extend(str(v) for v in tuple(row))
    return "\n".join(values)


def buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    return [b.text for row in (markup.inline_keyboard if markup else []) for b in row]
