"""Credentials: the admins (ADMIN_IDS) hear from the bot itself when the e-diary stops accepting its
credentials, a day before a token expires that the provider cannot renew by itself, and once when the
credentials work again. No commands, no buttons: one job reading `ctx.ediary.auth_status()` (no I/O).

- watch.py: the job (lease holder only): what changed since the last notice, remembered in the audit log so
  a restart neither repeats a notice nor loses a problem; one outbox message per admin and notice;
- messages.py: the texts, in each admin's language (bot.ui.Translator, catalog credentials.po)."""

from bot.credentials.watch import check_credentials, check_every
from bot.features import Feature, Job

FEATURE = Feature("credentials", jobs=(Job("credentials", check_credentials, every=check_every),))
