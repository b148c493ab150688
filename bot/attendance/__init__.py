"""/attendance: each child's absences and lateness in a period, by subject, with totals; one message edited in
place, other periods (and, for a parent of several, the other children) a tap away (router:
handlers/attendance.py).

- service: whose attendance this account may see (re-checked on every press), the child it chose last, the
  period, and the e-diary's AttendanceSource read through the app's short cache;
- summary: the marks counted by subject and reason (pure; a report can use it too);
- screens, callbacks: the screens and their button.

An e-diary without attendance (capabilities.attendance False) gets a plain "not given" answer. The alerts about
today's absences are bot/alerts' (attendance.py), switched in /settings.
"""

from bot.attendance.service import forget_choices
from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature(
    "attendance",
    commands=(Command("attendance", N_("Absences and lateness"), Audience.FAMILY),),
    on_user_forgotten=(forget_choices,),  # the child chosen last
)
