"""The daily purge job."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppContext
from bot.delivery import lease
from storage import retention
from storage.retention import Purged

log = logging.getLogger(__name__)


async def purge(ctx: AppContext) -> Purged:
    """Apply every retention period once; returns the counts (also logged)."""
    if not await lease.hold_lease(ctx):
        return Purged()
    db, now, settings = ctx.database, ctx.clock.now(), ctx.settings
    deleted, emptied = await retention.purge_outbox(db, now - timedelta(days=settings.outbox_retention_days))
    purged = Purged(
        outbox_deleted=deleted,
        outbox_emptied=emptied,
        codes_deleted=await retention.purge_codes(db, now - timedelta(days=settings.code_retention_days)),
        audit_anonymised=await retention.anonymise_audit(
            db, now - timedelta(days=settings.audit_detail_retention_days)
        ),
    )
    if purged != Purged():
        log.info(
            "retention: %d outbox item(s) deleted, %d emptied; %d code record(s) deleted; %d audit event(s) anonymised",
            purged.outbox_deleted,
            purged.outbox_emptied,
            purged.codes_deleted,
            purged.audit_anonymised,
        )
    return purged
