"""The credentials job: compare the provider's auth status with the last notice and tell the admins what
changed, once.

What was announced is recorded in the audit log (event CREDENTIALS_PROBLEM with a digest of the problem,
CREDENTIALS_OK, CREDENTIALS_EXPIRY with the expiry moment), in the same transaction as the messages it
queues: a restart repeats nothing, and a problem announced before a restart is followed by "working again"
once the e-diary answers. A problem whose text changes is a new problem (e.g. a missing scope after a
rejected token)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.config import Settings
from bot.context import AppContext
from bot.credentials.messages import expiry_text, problem_text, working_again_text
from bot.delivery.queue import queue_as_lease_holder, queue_message
from bot.ediary.model import AuthStatus
from bot.ediary.provider import ProviderError
from bot.i18n import pick_locale
from bot.ui import Translator
from storage import audit
from storage import preferences as prefs_repo
from storage import users as users_repo

log = logging.getLogger(__name__)

MAX_CHECK_EVERY_SECONDS = 300
WARN_AHEAD = timedelta(days=1)  # a token the provider cannot renew: the admins are told this long before
CREDENTIALS_PROBLEM = "credentials_problem"  # detail: the problem's digest
CREDENTIALS_OK = "credentials_ok"
CREDENTIALS_EXPIRY = "credentials_expiry"  # detail: the expiry moment announced (ISO)
NOTICES = (CREDENTIALS_PROBLEM, CREDENTIALS_OK, CREDENTIALS_EXPIRY)
KIND = "credentials"

Render = Callable[[Translator], str]


def check_every(settings: Settings) -> float:
    """As often as the poll (which is what meets a refusal), at most every few minutes."""
    return min(settings.poll_interval_seconds, MAX_CHECK_EVERY_SECONDS)


async def check_credentials(ctx: AppContext) -> int:
    """The job: returns the number of messages queued."""
    return await queue_as_lease_holder(ctx, _check)


def digest(problem: str) -> str:
    return hashlib.sha256(problem.encode()).hexdigest()[:16]


async def _check(ctx: AppContext, now: datetime) -> int:
    status = ctx.ediary.auth_status()
    history = await _notices(ctx)
    states = [e for e in history if e.event != CREDENTIALS_EXPIRY]
    last = states[-1] if states else None
    provider = ctx.ediary.name
    if status.problem is not None:
        problem = status.problem
        if last is not None and last.event == CREDENTIALS_PROBLEM and last.detail == digest(problem):
            return 0
        log.error("credentials: %s refuses the bot's credentials: %s", provider, problem)
        return await _announce(
            ctx, now, CREDENTIALS_PROBLEM, digest(problem), len(history), lambda t: problem_text(t, provider, problem)
        )
    if last is not None and last.event == CREDENTIALS_PROBLEM:
        if not await _answers(ctx):
            return 0
        log.info("credentials: %s accepts the bot's credentials again", provider)
        return await _announce(ctx, now, CREDENTIALS_OK, None, len(history), lambda t: working_again_text(t, provider))
    expires_at = _expiry_to_announce(status, now)
    if expires_at is None or any(e.event == CREDENTIALS_EXPIRY and e.detail == expires_at.isoformat() for e in history):
        return 0
    log.warning(
        "credentials: the %s token's expiry is %s and the bot cannot renew it by itself: give it a new one",
        provider,
        expires_at.isoformat(),
    )
    tz = ctx.settings.tz
    return await _announce(
        ctx,
        now,
        CREDENTIALS_EXPIRY,
        expires_at.isoformat(),
        len(history),
        lambda t: expiry_text(t, provider, expires_at, now, tz),
    )


async def _notices(ctx: AppContext) -> list[audit.AuditEvent]:
    """Every notice given so far, oldest first."""
    found = [e for name in NOTICES for e in await audit.events(ctx.database, event=name)]
    return sorted(found, key=lambda e: e.id)


def _expiry_to_announce(status: AuthStatus, now: datetime) -> datetime | None:
    if status.expires_at is None or status.refreshable or now < status.expires_at - WARN_AHEAD:
        return None
    return status.expires_at


async def _answers(ctx: AppContext) -> bool:
    """Whether the e-diary answers now: after a restart nobody may have asked it yet, and no problem known is
    not the same as none (a failure here waits for the next round)."""
    try:
        await ctx.ediary.list_classes()
    except ProviderError as exc:
        log.info("credentials: the e-diary does not answer yet (%s)", type(exc).__name__)
        return False
    return True


async def _announce(ctx: AppContext, now: datetime, event: str, detail: str | None, number: int, render: Render) -> int:
    """Record the notice and queue it for every admin, atomically; the notice's number keys the outbox."""
    db = ctx.database
    queued = 0
    async with db.transaction():
        await audit.record(db, event, at=now, detail=detail)
        for admin in sorted(ctx.settings.admin_ids):
            user = await users_repo.get_user(db, admin)
            locale = pick_locale(user.language, user.telegram_language) if user else pick_locale(None, None)
            queued += await queue_message(
                ctx,
                admin,
                await prefs_repo.get_preferences(db, admin),
                kind=KIND,
                text=render(Translator(ctx.i18n, locale)),
                dedupe_key=f"{KIND}:{number}:{admin}",
                now=now,
            )
    return queued
