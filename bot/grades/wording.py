"""The small pieces of the /grades texts and buttons: numbers, dates, names, averages in the user's language.
Called inside a handler, where `_()` knows the user's language."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from aiogram import html
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.ediary.grading import Average
from bot.ediary.model import Grade, Period, Student
from bot.ediary.periods import PeriodKind, read_period_name
from bot.gradebook.periods import Selection
from bot.i18n import format_day_skeleton, format_number


def _locale() -> str:
    return get_i18n().current_locale


def format_average(value: float) -> str:
    """4.125 -> "4,13" (ru) / "4.13" (en): two decimals, rounded half up as school journals do."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_number(rounded, "0.00", _locale())


def format_weight(weight: float) -> str:
    return format_number(weight, "0.##", _locale())


def short_date(day: date) -> str:
    return format_day_skeleton(day, "MMMd", _locale())


def marks_count(n: int) -> str:
    return _("{n} mark", "{n} marks", n).format(n=n)


def child_label(student: Student) -> str:
    """Plain text (for buttons); quote it for messages."""
    return f"{student.person.short_name}, {student.class_name}"


def period_name(period: Period | None) -> str:
    """A period in the user's language ("Quarter 2" / "2 четверть"); a name not recognised as the e-diary
    gives it; None is the whole year. Plain text (for buttons); quote it for messages."""
    if period is None:
        return _("Whole year")
    recognised = read_period_name(period.name)
    if recognised is None:
        return period.name
    if recognised.kind == PeriodKind.QUARTER:
        return _("Quarter {n}").format(n=recognised.number)
    if recognised.kind == PeriodKind.TRIMESTER:
        return _("Trimester {n}").format(n=recognised.number)
    return _("Half-year {n}").format(n=recognised.number)


def selection_label(selection: Selection) -> str:
    return _("{period}, {start} – {end}").format(
        period=html.quote(period_name(selection.period)),
        start=short_date(selection.start),
        end=short_date(selection.end),
    )


def average_phrase(avg: Average | None) -> str:
    if avg is None:
        return _("no average: no numeric marks")
    text = _("average <b>{value}</b>").format(value=format_average(avg.value))
    return text + " " + _("(weighted by work type)") if avg.weighted else text


def work(grade: Grade) -> str:
    """The work type and a weight other than 1: "Контрольная работа, вес 2"."""
    parts = [html.quote(grade.work_type)] if grade.work_type else []
    if grade.weight != 1:
        parts.append(_("weight {weight}").format(weight=format_weight(grade.weight)))
    return ", ".join(parts)


def subject_button(name: str, count: int, avg: Average | None) -> str:
    parts = [name] + ([format_average(avg.value)] if avg is not None else []) + [marks_count(count)]
    return " · ".join(parts)
