"""What /invite calls: whether this account may issue codes and for whom, re-checked at every step (callback
data is forgeable), and issuing them. Rights are read from the e-diary fresh (ctx.ediary), never from a cache.
Every function may raise ProviderError when the e-diary does not answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.codes.holder import Holder
from bot.codes.secret import code_hasher
from bot.ediary.provider import EdiaryProvider
from bot.invite import rights
from bot.invite.callbacks import InviteCb, JoiningCb
from bot.invite.issue import Invitation, replace_codes
from bot.invite.joining import ClassJoining, class_joining
from bot.invite.people import match_class
from bot.invite.username import bot_username

if TYPE_CHECKING:
    from aiogram import Bot

    from bot.context import AppContext

STEPS = ("role", "fmt", "go")
JOINING_STEPS = ("list", "fmt", "go")  # who of a class has not joined yet, then the codes for them
FORMATS = ("msg", "html")  # codes as chat messages, or as the printable sheet
# `/invite ID ...` at most: more is a class's job (or the CLI's), and the answer must fit in one message
MAX_NAMED = 30
MAX_ARGUMENTS_LENGTH = 1000  # 30 of the longest ids seen in e-diaries (19-digit numbers) with room to spare


@dataclass(frozen=True, slots=True)
class ChooseClass:
    classes: list[str]
    all_teachers: bool  # an admin may also issue codes for every teacher


@dataclass(frozen=True, slots=True)
class ChooseRole:
    class_name: str


@dataclass(frozen=True, slots=True)
class Named:
    """`/invite ID ...`: the people named, every one allowed."""

    holders: list[Holder]


@dataclass(frozen=True, slots=True)
class Refused:
    """What was named and may not be (unknown and not allowed look alike, so nobody can probe who exists)."""

    what: list[str]
    inviter: rights.Inviter


@dataclass(frozen=True, slots=True)
class TooMuch:
    """More than MAX_NAMED people or MAX_ARGUMENTS_LENGTH characters: nothing is looked up."""

    max_named: int


Opening = ChooseClass | ChooseRole | Named | Refused | TooMuch


class Refusal(StrEnum):
    NOT_ALLOWED = "not_allowed"  # this account may not issue codes at all
    STALE = "stale"  # an old or forged button


@dataclass(frozen=True, slots=True)
class Issued:
    invitations: list[Invitation]
    bot_username: str
    at: datetime
    revoked: int = 0  # earlier codes of the same people that stopped working


async def opening(ctx: AppContext, user_id: int, args: str | None) -> Opening | None:
    """What /invite (with its arguments) starts with; None when this account may not issue codes."""
    inviter = await _inviter(ctx, user_id)
    if inviter is None:
        return None
    if args:
        return await _by_arguments(ctx.ediary, inviter, args)
    classes = await rights.classes_for(inviter, ctx.ediary)
    if len(classes) == 1 and not inviter.is_admin:  # a homeroom teacher of one class: no class question
        return ChooseRole(classes[0])
    return ChooseClass(classes, all_teachers=inviter.is_admin)


async def _by_arguments(provider: EdiaryProvider, inviter: rights.Inviter, args: str) -> Opening:
    """A class ("5А", "5 a") or e-diary ids ("s01 p01")."""
    words = args.replace(",", " ").split()
    if len(args) > MAX_ARGUMENTS_LENGTH or len(dict.fromkeys(words)) > MAX_NAMED:
        return TooMuch(MAX_NAMED)
    class_name = match_class(args, await provider.list_classes()) if len(words) <= 2 else None
    if class_name is not None:
        if not inviter.may_invite_class(class_name, "all"):
            return Refused([args.strip()], inviter)
        return ChooseRole(class_name)
    holders, refused = await rights.people_holders(inviter, provider, list(dict.fromkeys(words)))
    return Refused(refused, inviter) if refused else Named(holders)


async def step_holders(
    ctx: AppContext, user_id: int, data: InviteCb, named: list[str] | None
) -> list[Holder] | Refusal:
    """The people a button is about, re-checked against the presser's rights ([] at the "role" step).
    `named`: the ids kept from `/invite ID ...` (FSM data), for buttons with neither class nor role."""
    inviter = await _inviter(ctx, user_id)
    if inviter is None:
        return Refusal.NOT_ALLOWED
    holders = await _holders_for(ctx.ediary, inviter, data, named)
    if holders is None or data.step not in STEPS:
        return Refusal.STALE
    if data.step == "go" and holders and data.fmt not in FORMATS:
        return Refusal.STALE
    return holders


async def _holders_for(
    provider: EdiaryProvider, inviter: rights.Inviter, data: InviteCb, named: list[str] | None
) -> list[Holder] | None:
    if data.step == "role":
        return [] if data.cls in await provider.list_classes() and inviter.may_invite_class(data.cls, "all") else None
    if data.cls or data.role:
        return await rights.batch_holders(inviter, provider, data.cls, data.role)
    if not named:
        return None
    holders, refused = await rights.people_holders(inviter, provider, named)
    return None if refused or not holders else holders


async def joining(ctx: AppContext, user_id: int, data: JoiningCb) -> ClassJoining | Refusal:
    """Who of the button's class has not joined yet, when this account may issue codes for that class."""
    inviter = await _inviter(ctx, user_id)
    if inviter is None:
        return Refusal.NOT_ALLOWED
    if data.act not in JOINING_STEPS or (data.act == "go" and data.fmt not in FORMATS):
        return Refusal.STALE
    if data.cls not in await ctx.ediary.list_classes() or not inviter.may_invite_class(data.cls, "all"):
        return Refusal.STALE
    return await class_joining(ctx.database, ctx.ediary, data.cls, ctx.clock.now())


async def issue(ctx: AppContext, bot: Bot, user_id: int, holders: list[Holder], *, revoke_old: bool = False) -> Issued:
    """A fresh code for each holder (stored as hashes, audited as issued by this account); with `revoke_old`
    their earlier codes that still work are revoked in the same transaction."""
    now = ctx.clock.now()
    username = await bot_username(ctx.settings, bot)
    replaced = await replace_codes(
        ctx.database,
        code_hasher(ctx.settings),
        holders,
        bot_username=username,
        now=now,
        ttl_days=ctx.settings.code_ttl_days,
        tz=ctx.settings.tz,
        issued_by=user_id,
        via="bot",
        revoke_old=revoke_old,
    )
    return Issued(replaced.invitations, username, now, replaced.revoked)


async def _inviter(ctx: AppContext, user_id: int) -> rights.Inviter | None:
    return await rights.inviter_for(ctx.database, ctx.ediary, ctx.settings, user_id)
