"""Text + buttons of each timetable screen, ready to send or to edit in place."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.ediary.provider import EdiaryProvider
from bot.timetable.audience import Target, audience_of, resolve_target
from bot.timetable.build import build_day, build_week
from bot.timetable.formatting import day_month, long_date
from bot.timetable.keyboards import DAY_VIEW, WEEK_VIEW, choice_keyboard, day_keyboard, week_keyboard
from bot.timetable.render_day import render_day
from bot.timetable.render_week import render_week
from storage.db import Database

Screen = tuple[str, InlineKeyboardMarkup]


async def entry_screen(
    db: Database, provider: EdiaryProvider, user_id: int, view: str, day: date, clock: Clock, locale: str
) -> Screen | None:
    """The only timetable this account has, or the choice between several (None: nothing linked)."""
    choices = (await audience_of(db, provider, user_id)).choices
    if not choices:
        return None
    if len(choices) > 1:
        return choice_screen(choices, view, day, locale)
    return await target_screen(provider, view, choices[0], day, clock, locale, can_switch=False)


async def pressed_screen(
    db: Database,
    provider: EdiaryProvider,
    user_id: int,
    view: str,
    kind: str,
    person: str,
    day: date,
    clock: Clock,
    locale: str,
) -> Screen | None:
    """The screen a button asks for, if this account may still see whose it is (None: stale or forged)."""
    target = await resolve_target(db, provider, user_id, kind, person)
    if target is None:
        return None
    can_switch = len((await audience_of(db, provider, user_id)).choices) > 1
    return await target_screen(provider, view, target, day, clock, locale, can_switch=can_switch)


async def target_screen(
    provider: EdiaryProvider, view: str, target: Target, day: date, clock: Clock, locale: str, *, can_switch: bool
) -> Screen:
    if view == WEEK_VIEW:
        return await week_screen(provider, target, day, clock, locale, can_switch=can_switch)
    return await day_screen(provider, target, day, clock, locale, can_switch=can_switch)


async def day_screen(
    provider: EdiaryProvider, target: Target, day: date, clock: Clock, locale: str, *, can_switch: bool
) -> Screen:
    view = await build_day(provider, target, day, clock)
    return render_day(view, locale), day_keyboard(target, view, locale, can_switch=can_switch)


async def week_screen(
    provider: EdiaryProvider, target: Target, monday: date, clock: Clock, locale: str, *, can_switch: bool
) -> Screen:
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
