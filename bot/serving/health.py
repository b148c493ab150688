"""GET /healthz: is this instance doing its job? Each part says what it saw; one failing part makes the
whole answer 503. A standby instance (another one holds the lease) is healthy while the holder is alive:
polling and sending are the holder's duties."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.alerts.state import stale_after
from bot.context import AppContext
from bot.delivery import FEATURE as DELIVERY
from bot.delivery.lease import LEASE_NAME
from storage import leases
from storage import stats as stats_repo

CHECK_TIMEOUT_SECONDS = 10.0  # a database that does not answer within this is failing
OUTBOX_STALE = timedelta(minutes=10)  # a due message older than this: sending is stuck
SENDER_TASK = DELIVERY.tasks[0].name  # the outbox sender


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    body: dict[str, Any]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


async def check_health(ctx: AppContext) -> Health:
    now = ctx.clock.now()
    parts: dict[str, dict[str, Any]] = {"database": await _database(ctx, now)}
    if parts["database"]["ok"]:
        parts["lease"] = await _lease(ctx, now)
        active = ctx.lease.held  # this instance polls and sends (renewed every few seconds by the sender)
        parts["provider"] = _provider(ctx, now, active=active)
        parts["outbox"] = await _outbox(ctx, now, active=active)
    parts["sender"] = _sender(ctx, now)
    ok = all(part["ok"] for part in parts.values())
    return Health(ok, {"status": "ok" if ok else "failing", "checked_at": _iso(now), **parts})


async def _database(ctx: AppContext, now: datetime) -> dict[str, Any]:
    if ctx.db is None:
        return {"ok": False, "error": "not open"}
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await stats_repo.probe_write(ctx.db, now)
    except TimeoutError:
        return {"ok": False, "error": "no answer"}
    except Exception as error:  # any failure to write is the answer, e.g. sqlite3 errors, a closed connection
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "writable": True}


async def _lease(ctx: AppContext, now: datetime) -> dict[str, Any]:
    lease = await leases.get_lease(ctx.database, LEASE_NAME)
    alive = lease is not None and lease.expires_at > now
    return {
        "ok": alive,
        "holder": lease.holder if lease is not None else None,
        "expires_at": _iso(lease.expires_at) if lease is not None else None,
        "this_instance": bool(alive and lease is not None and lease.holder == ctx.lease.holder),
    }


def _provider(ctx: AppContext, now: datetime, *, active: bool) -> dict[str, Any]:
    """Failing when the poll has read nothing for as long as the poller itself warns about (bot/alerts)."""
    state = ctx.poll
    last, error = state.last_success, state.last_error
    part: dict[str, Any] = {
        "name": ctx.provider.name if ctx.provider is not None else None,
        "last_successful_poll": _iso(last),
        "failing_reads": sum(1 for backoff in state.backoffs.values() if backoff.failures),
        "last_error": None if error is None else {"at": _iso(error.at), "error": error.error},
    }
    if not active:
        return {"ok": True, "state": "standby", **part}
    since = last or ctx.started_at
    if since is None or now - since > stale_after(timedelta(seconds=ctx.settings.poll_interval_seconds)):
        return {"ok": False, "state": "unreachable", **part}
    return {"ok": True, "state": "reachable" if last is not None else "starting", **part}


async def _outbox(ctx: AppContext, now: datetime, *, active: bool) -> dict[str, Any]:
    depth = await stats_repo.outbox_depth(ctx.database, now)
    age = (now - depth.oldest_due_at).total_seconds() if depth.oldest_due_at is not None else None
    stuck = active and age is not None and age > OUTBOX_STALE.total_seconds()
    return {"ok": not stuck, "depth": depth.waiting, "blocked": depth.blocked, "oldest_due_age_seconds": age}


def _sender(ctx: AppContext, now: datetime) -> dict[str, Any]:
    task = next((t for t in ctx.tasks if t.get_name() == SENDER_TASK), None)
    if task is None:
        return {"ok": False, "state": "off"}
    if task.done():
        return {"ok": False, "state": "stopped"}
    if not ctx.lease.held:
        return {"ok": True, "state": "standby"}
    paused_until = ctx.delivery.throttle.paused_until
    if paused_until is not None and paused_until > now:
        return {"ok": True, "state": "paused", "until": _iso(paused_until)}
    return {"ok": True, "state": "sending"}
