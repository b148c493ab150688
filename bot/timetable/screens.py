"""Each timetable screen as a `bot.ui.Screen`: a day, a week, "whose timetable?", with the buttons that
move between days and weeks in place, and (for an account with several timetables) one button per timetable,
the shown one marked; and the short answers (not linked, stale button, e-diary down)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.timetable.callbacks import TimetableDayCb, TimetableWeekCb, pack_date
from bot.timetable.formatting import choice_label, day_month, long_date, short_date, switch_labels
from bot.timetable.model import DayTimetable, Span, Target, WeekTimetable
from bot.timetable.render_day import render_day
from bot.timetable.render_week import render_week
from bot.ui import Screen
from bot.ui.memo import per_language

SWITCH_PER_ROW = 3


@per_language(maxsize=512)  # a family sees one child's day, a day is paged back and forth
def day_screen(target: Target, timetable: DayTimetable, locale: str, choices: tuple[Target, ...] = ()) -> Screen:
    rows = []
    if timetable.empty and timetable.next_school_day is not None:
        next_day = timetable.next_school_day
        rows.append([_day_button(target, next_day, f"➡️ {long_date(next_day, locale)}")])
    before, after = timetable.day - timedelta(days=1), timetable.day + timedelta(days=1)
    rows.append(
        [
            _day_button(target, before, f"◀️ {short_date(before, locale)}"),
            _day_button(target, timetable.today, _("📍 Today")),
            _day_button(target, after, f"{short_date(after, locale)} ▶️"),
        ]
    )
    rows.append([_week_button(target, timetable.day - timedelta(days=timetable.day.weekday()), _("🗓 Week"))])
    rows += _switch_rows(choices, target, lambda other, text: _day_button(other, timetable.day, text))
    return Screen(render_day(timetable, locale), InlineKeyboardMarkup(inline_keyboard=rows))


@per_language(maxsize=128)
def week_screen(target: Target, timetable: WeekTimetable, locale: str, choices: tuple[Target, ...] = ()) -> Screen:
    days = [_day_button(target, day, short_date(day, locale)) for day in timetable.days]
    rows = [days[i : i + 4] for i in range(0, len(days), 4)]
    this_monday = timetable.today - timedelta(days=timetable.today.weekday())
    rows.append(
        [
            _week_button(target, timetable.monday - timedelta(days=7), _("◀️ Previous")),
            _week_button(target, this_monday, _("📍 This week")),
            _week_button(target, timetable.monday + timedelta(days=7), _("Next ▶️")),
        ]
    )
    rows += _switch_rows(choices, target, lambda other, text: _week_button(other, timetable.monday, text))
    return Screen(render_week(timetable, locale), InlineKeyboardMarkup(inline_keyboard=rows))


def choice_screen(choices: list[Target], span: Span, day: date, locale: str) -> Screen:
    """'Whose timetable?' for the day (or the week starting on `day`) that was asked for."""
    if span == Span.DAY:
        title = f"📅 <b>{long_date(day, locale)}</b>"
    else:
        title = "🗓 <b>{}</b>".format(_("Week of {day}").format(day=day_month(day, locale)))
    rows = []
    for target in choices:
        text = _("👨‍👩‍👧 All children") if not target.person_id else choice_label(target.owners[0])
        button = _day_button(target, day, text) if span == Span.DAY else _week_button(target, day, text)
        rows.append([button])
    text = f"{title}\n" + _("Whose timetable do you want to see?")
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def not_linked_text() -> str:
    return _(
        "The timetable appears here once your account is linked to the e-diary: "
        "send /link with the code the school gave you."
    )


def stale_button_text() -> str:
    return _("This button is out of date. Open the timetable again: /today")


def unavailable_text() -> str:
    return _("⚠️ The e-diary is not answering right now. Please try again in a few minutes.")


def _day_button(target: Target, day: date, text: str) -> InlineKeyboardButton:
    data = TimetableDayCb(kind=target.kind.value, person=target.person_id, day=pack_date(day))
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _week_button(target: Target, monday: date, text: str) -> InlineKeyboardButton:
    data = TimetableWeekCb(kind=target.kind.value, person=target.person_id, monday=pack_date(monday))
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _switch_rows(
    choices: Sequence[Target], shown: Target, button: Callable[[Target, str], InlineKeyboardButton]
) -> list[list[InlineKeyboardButton]]:
    """One tap to another of the account's timetables (same day or week); the one shown is marked."""
    labels = switch_labels([c.owners[0] if c.person_id else None for c in choices])
    buttons = [
        button(choice, f"• {label}" if (choice.kind, choice.person_id) == (shown.kind, shown.person_id) else label)
        for choice, label in zip(choices, labels, strict=True)
    ]
    return [buttons[i : i + SWITCH_PER_ROW] for i in range(0, len(buttons), SWITCH_PER_ROW)]
