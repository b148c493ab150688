"""School events: /events lists the coming ones that concern the account, a page of days at a time
(router: handlers/events.py), and reminders go the day before and on the morning of an event (reminders.py).

audience.py decides whom an event concerns; render.py how an event reads (shared by the list and the
reminders); service.py what /events calls; screens.py and callbacks.py its screens and button. The events
come from the e-diary's optional EventsSource; an e-diary without it gets a plain "not given" answer.
"""

from bot.events.reminders import reminders_job
from bot.features import Audience, Command, Feature, Job
from bot.i18n import N_

CHECK_EVERY_SECONDS = 60  # reminders are due at a minute of the account's choice

FEATURE = Feature(
    "events",
    commands=(Command("events", N_("School events and parent meetings"), Audience.LINKED),),
    jobs=(Job("events.reminders", reminders_job, every=lambda settings: CHECK_EVERY_SECONDS),),
)
