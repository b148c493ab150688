"""Alerts and delivery. Importing this package registers the scheduler jobs and the outbox sender task."""

from bot.alerts import lease, sender  # noqa: F401  (delivery: the single-instance lease and the outbox sender)

# isort: split
from bot.alerts import digest, poller, reminders  # noqa: F401  (alerts: poll, deadline reminders, daily summary)
