"""Alerts: the poll (poller -> class_sync with detect), grade and timetable notices (notify, messages), deadline
reminders and the daily summary (digest). Delivery is bot/delivery's."""

from bot.alerts.digest import digest_job, forget_alert_data
from bot.alerts.poller import poll
from bot.alerts.reminders import reminders_job
from bot.features import Feature, Job

CHECK_EVERY_SECONDS = 60  # reminders and summaries are due at a minute of the user's choice

FEATURE = Feature(
    "alerts",
    jobs=(
        Job("poll", poll, every=lambda settings: settings.poll_interval_seconds),
        Job("reminders", reminders_job, every=lambda settings: CHECK_EVERY_SECONDS),
        Job("digest", digest_job, every=lambda settings: CHECK_EVERY_SECONDS),
    ),
    on_user_forgotten=(forget_alert_data,),
)
