"""/grades: a child's subjects with their averages, one subject's marks a page at a time, and the periods.

- service: what the handler calls: access re-checks, the reads under one deadline, which screen follows
- screens, keyboards, wording: what the user sees; callbacks: the buttons' data
- loader: everything read from the e-diary (ProviderUnavailable on timeout); periods, paging, stats, keys:
  which dates a view covers, pages of marks, per-subject summaries, short keys for callback data
(averages and non-numeric marks are bot.ediary.grading's)
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature("grades", commands=(Command("grades", N_("Grades by subject"), Audience.FAMILY),))
