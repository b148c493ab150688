"""The pieces of the progress texts, charts and reports in the reader's language (a Translator: the same
words serve a chat, a chart made in a worker thread and a report made by a staff command)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.ediary.model import Period, Student
from bot.ediary.periods import PeriodKind, read_period_name
from bot.gradebook.analysis import MAX_MARKS_AHEAD, Quarter, Steps, SubjectProgress, Trend, as_shown
from bot.gradebook.periods import Selection
from bot.i18n import format_day_skeleton, format_number
from bot.ui import Translator

ARROWS = {Trend.UP: "↗", Trend.STEADY: "→", Trend.DOWN: "↘"}


def number(t: Translator, value: float | Decimal) -> str:
    """4.125 -> "4,13" (ru) / "4.13" (en), as /grades shows averages."""
    return format_number(as_shown(float(value)), "0.00", t.locale)


def signed(t: Translator, change: Decimal) -> str:
    return format_number(change, "+0.00;-0.00", t.locale)


def weight(t: Translator, value: float) -> str:
    return format_number(value, "0.##", t.locale)


def short_date(t: Translator, day: date) -> str:
    return format_day_skeleton(day, "MMMd", t.locale)


def child_label(student: Student) -> str:
    """Plain text (buttons, charts, PDF); quote it for messages."""
    return f"{student.person.short_name}, {student.class_name}"


def period_name(t: Translator, period: Period | None) -> str:
    """ "Quarter 2" / "2 четверть"; a name not recognised as the e-diary gives it; None: the whole year."""
    if period is None:
        return t.gettext("Whole year")
    recognised = read_period_name(period.name)
    if recognised is None:
        return period.name
    if recognised.kind == PeriodKind.QUARTER:
        return t.gettext("Quarter {n}").format(n=recognised.number)
    if recognised.kind == PeriodKind.TRIMESTER:
        return t.gettext("Trimester {n}").format(n=recognised.number)
    return t.gettext("Half-year {n}").format(n=recognised.number)


def selection_label(t: Translator, selection: Selection) -> str:
    """Plain text: "Quarter 2, Nov 5 – Dec 28"."""
    return t.gettext("{period}, {start} – {end}").format(
        period=period_name(t, selection.period),
        start=short_date(t, selection.start),
        end=short_date(t, selection.end),
    )


def trend_phrase(t: Translator, progress: SubjectProgress) -> str:
    """The arrow and the change ("↗ +0,40"); "" with too few marks to tell."""
    if progress.trend is None or progress.change is None:
        return ""
    return f"{ARROWS[progress.trend]} {signed(t, progress.change)}"


def quarter_phrase(t: Translator, quarter: Quarter) -> str:
    if quarter is Quarter.TOP:
        return t.gettext("in the top quarter of the class")
    if quarter is Quarter.UPPER_HALF:
        return t.gettext("in the upper half of the class")
    if quarter is Quarter.LOWER_HALF:
        return t.gettext("in the lower half of the class")
    return t.gettext("in the bottom quarter of the class")


def steps_phrase(t: Translator, steps: Steps, usual_weight: float) -> str:
    """ "To reach 5: 2 more fives" (weight 1 unsaid) / "… or 3 fours" / "out of reach within 10 marks"."""
    if steps.fives is None:
        return t.ngettext(
            "a {mark} is out of reach within the next {n} mark",
            "a {mark} is out of reach within the next {n} marks",
            MAX_MARKS_AHEAD,
        ).format(mark=steps.target, n=MAX_MARKS_AHEAD)
    text = t.ngettext("to reach {mark}: {n} more five", "to reach {mark}: {n} more fives", steps.fives).format(
        mark=steps.target, n=steps.fives
    )
    if steps.fours is not None:
        text += " " + t.ngettext("or {n} four", "or {n} fours", steps.fours).format(n=steps.fours)
    if usual_weight != 1:
        text += " " + t.gettext("(of weight {weight})").format(weight=weight(t, usual_weight))
    return text
