"""/report: a PDF for a chosen child and period (marks by subject with averages and period marks, attendance
totals where the e-diary gives attendance, the chart of averages), sent as a document; `ediary-bot report`
makes the same file for staff.

- content: what the report says (the progress feature's loader, analysis and chart data; attendance)
- pdf: drawing it (fpdf2, DejaVu Sans embedded) in the progress feature's render worker
- service, screens, callbacks: what handlers/report.py calls, shows and reads from buttons
"""

from bot.features import Audience, Command, Feature
from bot.i18n import N_

FEATURE = Feature("report", commands=(Command("report", N_("A PDF report for a period"), Audience.FAMILY),))
