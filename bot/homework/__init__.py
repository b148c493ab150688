"""/homework: what each child must have done for tomorrow and the rest of the week, by day and subject, with the
files named, the teacher's comment and what was set today marked as new (router: handlers/homework.py).

A student ticks an assignment done in the bot (the e-diary never hears of it): shown as ✅ to them and to their
parents (who only see it), and left out of the evening reminder (bot/alerts/reminders.py reads the ticks).

- service: whose homework this account may see (re-checked on every press), the child it chose last, the reads
  through the app's short cache, the ticks (storage/homework_ticks.py);
- screens, callbacks: the screen and its buttons.
"""

from bot.features import Audience, Command, Feature
from bot.homework.service import forget_homework_data
from bot.i18n import N_

FEATURE = Feature(
    "homework",
    commands=(Command("homework", N_("Homework for tomorrow and this week"), Audience.FAMILY),),
    on_user_forgotten=(forget_homework_data,),  # the ticks made and the child chosen last
)
