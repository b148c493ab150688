"""Alerts: what the bot tells families on its own: grade and timetable changes, absences and lateness, homework
reminders, the daily summary. Nothing here answers an update (no commands, no buttons, no screens), so alerts
has no router and no service.py: a service is what a feature's handlers call, and alerts' only entry points are
the scheduler jobs and the /forget listener declared in FEATURE. Sending is bot/delivery's; the user's alert
choices are made in the settings feature and read here from storage.

- poller.py: the poll job (lease holder only): each followed class (subscribers.py) read fresh from the e-diary,
  or each followed student where the e-diary reads no classes (capabilities.class_reads); it outdates the views'
  cached answers about what it read; state.py: its backoffs, the followers it last found and how its reads
  stand (for /healthz), kept in `ctx.poll`;
- class_sync.py: a class's complete answers compared with what was seen (detect.py), stored with their alerts
  atomically; attendance.py: today's absences and lateness among them (or the «н»/«оп» marks of an e-diary
  without attendance);
- notify.py: one alert into the outbox or the daily summary; messages.py: the texts (a bot.ui.Translator);
- reminders.py, digest.py: the minute jobs queueing homework reminders and daily summaries."""

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
