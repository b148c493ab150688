"""One measured figure beside its baseline from the same run, and the suite's table and JSON."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    section: str  # "updates", "poll", "memory", "delivery", "process"
    what: str  # e.g. "/today: updates/s"
    value: float
    unit: str
    baseline: float | None = None  # the same figure of the baseline, measured in the same run
    baseline_label: str = ""  # e.g. "bare aiogram"
    target: str = ""  # what the issue asks for, as text (figures are never asserted)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return self.value / self.baseline


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The sample below which `fraction` of them lie (nearest rank); 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else 0.0


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: Iterable[Figure]) -> str:
    rows = [("section", "what", "value", "unit", "baseline", "ratio", "target")]
    for f in figures:
        baseline = f"{_number(f.baseline)} ({f.baseline_label})" if f.baseline is not None else ""
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        rows.append((f.section, f.what, _number(f.value), f.unit, baseline, ratio, f.target))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = {2, 4, 5}
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(path: Path, figures: Iterable[Figure], meta: dict[str, Any]) -> None:
    data = {**meta, "figures": [{**asdict(f), "ratio": f.ratio} for f in figures]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
