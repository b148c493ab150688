"""Text + buttons of each timetable screen, ready to send or to edit in place."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.ediary.provider import EdiaryProvider
from bot.timetable.audience import Target
from bot.timetable.build import build_day, build_week
from bot.timetable.formatting import day_month, long_date
from bot.timetable.keyboards import DAY_VIEW, choice_keyboard, day_keyboard, week_keyboard
from bot.timetable.render_day import render_day
from bot.timetable.render_week import render_week

Screen = tuple[str, InlineKeyboardMarkup]


async def day_screen(provider: EdiaryProvider, target: Target, day: date, clock: Clock, locale: str, *,
                     can_switch: bool) -> Screen:
    view = await build_day(provider, target, day, clock)
    return render_day(view, locale), day_keyboard(target, view, locale, can_switch=can_switch)


async def week_screen(provider: EdiaryProvider, target: Target, monday: date, clock: Clock, locale: str, *,
                      can_switch: bool) -> Screen:
    view = await build_week(provider, target, monday, clock)
    return render_week(view, locale), week_keyboard(target, view, locale, can_switch=can_switch)


def choice_screen(choices: list[Target], view: str, day: date, locale: str) -> Screen:
    if view == DAY_VIEW:
        title = f"📅 <b>{long_date(day, locale)}</b>"
    else:
        title = "🗓 <b>{}</b>".format(_("Week of {day}").format(day=day_month(day, locale)))
    return f"{title}\n" + _("Whose timetable do you want to see?"), choice_keyboard(choices, view, day)


def week_to_open(today: date) -> date:
    """The Monday /week opens: this week's, or the coming one's from Saturday on."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7) if today.weekday() >= 5 else monday
