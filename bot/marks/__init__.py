"""/marks: each linked child's marks of today, or of the last day with marks (within the current period, at
most two weeks back).

- service: what the handler calls: who the children are, their recent marks under one deadline
- screens: the marks by child, and what is said instead (not linked, the e-diary not answering)
- callbacks: the retry button
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature("marks", commands=(Command("marks", N_("Today's marks"), Audience.FAMILY),))
