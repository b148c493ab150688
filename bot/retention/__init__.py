"""Retention: once a day, what the bot no longer needs is deleted or anonymised after its documented period
(OUTBOX_RETENTION_DAYS, CODE_RETENTION_DAYS, AUDIT_DETAIL_RETENTION_DAYS).

A feature of its own rather than a part of delivery or linking: one job over several features' data
(the outbox, the one-time codes, the audit log), with one set of rules an admin can read in one place.
Kept on purpose (storage/retention.py): what reply routing needs and the security record itself.

- purge.py: the job (lease holder only, so two instances never purge at once)."""

from bot.features import Feature, Job
from bot.retention.purge import purge

DAY_SECONDS = 24 * 3600

FEATURE = Feature("retention", jobs=(Job("retention", purge, every=lambda settings: DAY_SECONDS),))
