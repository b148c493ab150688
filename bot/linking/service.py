"""What the linking handlers call: check a code and link after the person confirms (redeem.py, with the limit
on failed attempts, ratelimit.py), and what an account does with its links (account.py): /me, /unlink,
/forget. The e-diary is read fresh (ctx.ediary): whom a code is for must not come from a cache.

`check` and `confirm` raise ProviderError when the e-diary does not answer; nothing is used up or counted then."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.codes.secret import code_hasher
from bot.linking import account
from bot.linking.account import Identity
from bot.linking.redeem import Redemption, Verdict, check_code, confirm_link

if TYPE_CHECKING:
    from bot.context import AppContext

_RETYPE = (Verdict.MALFORMED, Verdict.UNKNOWN)  # a typo: stay in the code step so the user can send it again


async def check(ctx: AppContext, *, user_id: int, text: str | None, now: datetime) -> Redemption:
    """Step one: what this code is and whom it is for; uses nothing up (failures count against the limit)."""
    return await check_code(ctx.database, ctx.ediary, code_hasher(ctx.settings), user_id=user_id, text=text, now=now)


def may_retype(result: Redemption) -> bool:
    """A typo, not a refusal: the user stays in the code step (unless this failure reached the limit)."""
    return result.verdict in _RETYPE and result.retry_at is None


async def confirm(ctx: AppContext, *, user_id: int, code_id: int, now: datetime) -> Redemption:
    """Step two: the code shown to this user (the id kept in its FSM data) is used and the account linked."""
    return await confirm_link(ctx, ctx.database, ctx.ediary, user_id=user_id, code_id=code_id, now=now)


async def identities(ctx: AppContext, user_id: int) -> tuple[list[Identity], bool]:
    """/me: the account's links with their people; the flag is False when the e-diary did not answer."""
    return await account.identities(ctx.database, ctx.ediary, user_id)


async def identity(ctx: AppContext, user_id: int, person_id: str) -> Identity | None:
    """One of the account's own links, or None (a forged person id looks like an outdated one)."""
    if await account.owned_link(ctx.database, user_id, person_id) is None:
        return None
    items, _answered = await identities(ctx, user_id)
    return next(item for item in items if item.person_id == person_id)


async def unlink(ctx: AppContext, user_id: int, person_id: str) -> bool:
    """False when the account had no such link (an old or forged button)."""
    return await account.unlink(ctx.database, user_id=user_id, person_id=person_id, now=ctx.clock.now())


async def has_links(ctx: AppContext, user_id: int) -> bool:
    return await account.has_links(ctx.database, user_id)


async def forget(ctx: AppContext, user_id: int) -> None:
    """/forget: everything stored about the user, every feature's data included, in one transaction."""
    await account.forget_everything(ctx, ctx.database, user_id=user_id, now=ctx.clock.now())
