"""Charts as PNG bytes, drawn with matplotlib's Agg canvas and its bundled DejaVu Sans (Cyrillic included, no
system font assumed). Called in the render worker (render.py), never on the event loop; matplotlib is imported
here, lazily, so that nothing else pays for it. Every text arrives already translated."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FONT = "DejaVu Sans"
WIDTH_INCHES = 8.0
DPI = 100
CHILD_COLOUR = "#3b7dd8"
CLASS_COLOUR = "#444444"


@dataclass(frozen=True, slots=True)
class Legend:
    child: str
    class_average: str
    axis: str


@dataclass(frozen=True, slots=True)
class BarsChart:
    """The average per subject over the period, the class's average beside each where compared."""

    title: str
    subjects: list[str]
    averages: list[float]
    average_labels: list[str]  # the averages as the reader writes numbers ("4,25")
    class_averages: list[float | None]  # one per subject; all None without comparison
    thresholds: tuple[float, ...]  # the school's averages for a 5, 4 and 3, drawn as guides
    legend: Legend


@dataclass(frozen=True, slots=True)
class MarksChart:
    """One subject's marks over time, the running average, and the class's running average where compared."""

    title: str
    start: date
    end: date
    ticks: list[tuple[date, str]]  # days on the time axis, named in the reader's language
    marks: list[tuple[date, float, float]]  # (day, value, weight)
    running: list[tuple[date, float]]  # the average after each day with marks
    class_running: list[tuple[date, float]]  # empty without comparison
    thresholds: tuple[float, ...]
    legend: Legend
    marks_label: str


def font_file(bold: bool = False) -> Path:
    """matplotlib's bundled DejaVu Sans (the PDF report embeds the same font)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


def render(chart: BarsChart | MarksChart) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": FONT, "axes.spines.top": False, "axes.spines.right": False}):
        if isinstance(chart, BarsChart):
            height = 2.0 + 0.42 * max(len(chart.subjects), 1)
            figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
            _bars(figure.add_subplot(), chart)
        else:
            figure = Figure(figsize=(WIDTH_INCHES, 4.5), dpi=DPI, layout="constrained")
            _marks(figure.add_subplot(), chart)
        figure.suptitle(chart.title, fontsize=12)
        figure.legend(loc="outside lower center", ncols=3, fontsize=9, frameon=False)
        FigureCanvasAgg(figure)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _guides(ax: Axes, thresholds: tuple[float, ...], *, vertical: bool) -> None:
    for value in thresholds:
        if vertical:
            ax.axvline(value, color="#bbbbbb", linestyle=":", linewidth=1)
        else:
            ax.axhline(value, color="#bbbbbb", linestyle=":", linewidth=1)


def _bars(ax: Axes, chart: BarsChart) -> None:
    rows = list(range(len(chart.subjects)))
    ax.barh(rows, chart.averages, color=CHILD_COLOUR, label=chart.legend.child, height=0.6)
    for row, value, label in zip(rows, chart.averages, chart.average_labels, strict=True):
        ax.text(value - 0.05, row, label, va="center", ha="right", color="white", fontsize=9)
    compared = [(row, value) for row, value in zip(rows, chart.class_averages, strict=True) if value is not None]
    if compared:
        ax.scatter(
            [value for _, value in compared],
            [row for row, _ in compared],
            marker="|",
            s=400,
            color=CLASS_COLOUR,
            label=chart.legend.class_average,
            zorder=3,
        )
    _guides(ax, chart.thresholds, vertical=True)
    ax.set_yticks(rows, chart.subjects)
    ax.invert_yaxis()
    ax.set_xlim(1, 5.4)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel(chart.legend.axis)


def _marks(ax: Axes, chart: MarksChart) -> None:
    from matplotlib.dates import date2num

    def x(days: list[date]) -> list[float]:
        return [float(v) for v in date2num(days)]

    if chart.marks:
        ax.scatter(
            x([day for day, _, _ in chart.marks]),
            [value for _, value, _ in chart.marks],
            s=[30 * weight for _, _, weight in chart.marks],
            color=CHILD_COLOUR,
            alpha=0.6,
            label=chart.marks_label,
        )
    for series, colour, style, label in (
        (chart.running, CHILD_COLOUR, "-", chart.legend.child),
        (chart.class_running, CLASS_COLOUR, "--", chart.legend.class_average),
    ):
        if series:
            series = [*series, (chart.end, series[-1][1])]  # the average holds until the axis ends
            ax.step(
                x([d for d, _ in series]),
                [v for _, v in series],
                where="post",
                color=colour,
                linestyle=style,
                label=label,
            )
    _guides(ax, chart.thresholds, vertical=False)
    ax.set_ylim(1.5, 5.5)
    ax.set_yticks([2, 3, 4, 5])
    start, end = x([chart.start, max(chart.end, chart.start)])
    ax.set_xlim(start, end + 0.5)
    ax.set_xticks(x([day for day, _ in chart.ticks]), [label for _, label in chart.ticks])
    ax.set_ylabel(chart.legend.axis)
