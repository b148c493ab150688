"""Inline buttons under the timetable: move between days and weeks in place, switch whose timetable."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callback_factories import TimetableDayCb, TimetablePickCb, TimetableWeekCb
from bot.timetable.audience import Target
from bot.timetable.formatting import choice_label, long_date, short_date
from bot.timetable.views import DayView, WeekView

DAY_VIEW, WEEK_VIEW = "d", "w"


def pack_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def day_button(target: Target, day: date, text: str) -> InlineKeyboardButton:
    data = TimetableDayCb(kind=target.kind.value, person=target.person_id, day=pack_date(day))
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def week_button(target: Target, monday: date, text: str) -> InlineKeyboardButton:
    data = TimetableWeekCb(kind=target.kind.value, person=target.person_id, monday=pack_date(monday))
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def pick_button(view: str, day: date) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=_("👥 Whose timetable"), callback_data=TimetablePickCb(view=view, day=pack_date(day)).pack()
    )


def day_keyboard(target: Target, view: DayView, locale: str, *, can_switch: bool) -> InlineKeyboardMarkup:
    rows = []
    if view.empty and view.next_school_day is not None:
        rows.append([day_button(target, view.next_school_day, f"➡️ {long_date(view.next_school_day, locale)}")])
    before, after = view.day - timedelta(days=1), view.day + timedelta(days=1)
    rows.append(
        [
            day_button(target, before, f"◀️ {short_date(before, locale)}"),
            day_button(target, view.today, _("📍 Today")),
            day_button(target, after, f"{short_date(after, locale)} ▶️"),
        ]
    )
    last = [week_button(target, view.day - timedelta(days=view.day.weekday()), _("🗓 Week"))]
    if can_switch:
        last.append(pick_button(DAY_VIEW, view.day))
    rows.append(last)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def week_keyboard(target: Target, view: WeekView, locale: str, *, can_switch: bool) -> InlineKeyboardMarkup:
    days = [day_button(target, day, short_date(day, locale)) for day in view.days]
    rows = [days[i : i + 4] for i in range(0, len(days), 4)]
    this_monday = view.today - timedelta(days=view.today.weekday())
    rows.append(
        [
            week_button(target, view.monday - timedelta(days=7), _("◀️ Previous")),
            week_button(target, this_monday, _("📍 This week")),
            week_button(target, view.monday + timedelta(days=7), _("Next ▶️")),
        ]
    )
    if can_switch:
        rows.append([pick_button(WEEK_VIEW, view.monday)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def choice_keyboard(choices: list[Target], view: str, day: date) -> InlineKeyboardMarkup:
    rows = []
    for target in choices:
        text = _("👨‍👩‍👧 All children") if not target.person_id else choice_label(target.owners[0])
        button = day_button(target, day, text) if view == DAY_VIEW else week_button(target, day, text)
        rows.append([button])
    return InlineKeyboardMarkup(inline_keyboard=rows)
