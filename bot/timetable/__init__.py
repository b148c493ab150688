"""The timetable with its changes: /today, /tomorrow, /week, navigated in place.

service.py decides whose timetable an account may see (re-checked on every press), remembers which one an
account with several looked at last, and reads the e-diary through the shared cache; build.py fills the day's
or week's timetable (model.py); render_day.py and render_week.py (with formatting.py) turn it into text;
screens.py adds the buttons (callbacks.py).

Homework shown on a lesson is the homework *due* at that lesson (what the student must have done for
it), attached to the first lesson of its subject held that day; marks are those given in the lesson (by
lesson id, else by date and subject; a mark given by someone other than the lesson's teacher names who gave
it). Homework or marks of the day that match no lesson held are listed under the day, never dropped.
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_
from bot.timetable.service import forget_choices

FEATURE = Feature(
    "timetable",
    commands=(
        Command("today", N_("Today's timetable"), Audience.LINKED),
        Command("tomorrow", N_("Tomorrow's timetable"), Audience.LINKED),
        Command("week", N_("The week's timetable"), Audience.LINKED),
    ),
    on_user_forgotten=(forget_choices,),  # the remembered "whose timetable"
)
