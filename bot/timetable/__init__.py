"""The timetable with its changes: whose day (audience), what it holds (views, built by build), how it reads
(render_day, render_week, formatting), the buttons under it (keyboards) and whole screens (screens).
handlers/timetable.py wires it to Telegram; e-diary reads go through bot/ediary/cached.py.

Homework shown on a lesson is the homework *due* at that lesson (what the student must have done for
it), attached to the first lesson of its subject that day; marks are those given in the lesson (by
lesson id, else by date and subject). Homework or marks of the day that match no lesson are listed
under the day, never dropped.
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature(
    "timetable",
    commands=(
        Command("today", N_("Today's timetable"), Audience.LINKED),
        Command("tomorrow", N_("Tomorrow's timetable"), Audience.LINKED),
        Command("week", N_("The week's timetable"), Audience.LINKED),
    ),
)
