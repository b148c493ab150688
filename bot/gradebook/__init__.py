"""A child's marks for a period, analysed: shared by /progress and /report (neither imports the other).

- loader: the marks of a child, and the class's anonymised averages where the e-diary gives class reads;
- analysis: weighted averages, the trend, the period mark under the school's rounding, "what it takes",
  the child's quarter of the class;
- periods: which period a screen shows (a provider period or the whole year);
- chart, chart_data, render: the PNG charts (matplotlib off the event loop, its bundled DejaVu Sans);
- wording: the short texts both show (period names, child labels, numbers).
"""
