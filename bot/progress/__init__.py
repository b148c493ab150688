"""/progress: per child and subject the weighted average, its trend, the period mark it leads to under the
school's rounding (GRADE_ROUNDING) and what it takes to reach the next one, with charts sent as pictures; the
class appears only as its average and the child's quarter of it (CLASS_COMPARISON).

- analysis: the math (pure); loader: the e-diary reads; periods: which dates a view covers
- service: what the handler calls; screens, wording, callbacks: what the user sees and presses
- chart_data: what a chart shows; chart: drawing it (matplotlib, lazily); render: off the event loop
bot.report builds its PDF from the same loader, analysis and chart.
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature("progress", commands=(Command("progress", N_("Progress by subject, with charts"), Audience.FAMILY),))
