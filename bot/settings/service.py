"""The account's settings: what it may change (by the roles it is linked as), its preferences and its language.
Every change from a button is re-checked here; None means "not for this account" (a stale or forged button)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.access import roles_of
from bot.ediary.model import Role
from bot.settings.times import parse_range, parse_time, unpack_time
from storage import preferences as prefs_repo
from storage import users as users_repo
from storage.preferences import Preferences

if TYPE_CHECKING:
    from datetime import time

    from bot.context import AppContext

LANGUAGES = {"ru": "Русский", "en": "English"}  # each language's own name, never translated
SCREENS = ("main", "done", "quiet", "reminder", "delivery", "language")
TIME_FIELDS = ("quiet", "reminder", "digest")  # what may be typed


@dataclass(frozen=True, slots=True)
class Account:
    """What the settings screens depend on besides the preferences."""

    user_id: int
    prefs: Preferences
    language: str
    family: bool  # linked as a student or a parent: alerts about a child apply
    student: bool  # linked as a student (homework reminders are on by default)
    linked: bool


async def account_of(ctx: AppContext, user_id: int, language: str) -> Account:
    """`language`: the one this user sees now (their saved choice, else Telegram's)."""
    roles = await roles_of(ctx.database, user_id)
    return Account(
        user_id=user_id,
        prefs=await prefs_repo.get_preferences(ctx.database, user_id),
        language=language,
        family=bool(roles & {Role.STUDENT, Role.PARENT}),
        student=Role.STUDENT in roles,
        linked=bool(roles),
    )


def may_open(account: Account, screen: str) -> bool:
    """Quiet hours need a link; reminders and delivery are about a child's alerts."""
    allowed = {"quiet": account.linked, "reminder": account.family, "delivery": account.family}
    return screen in SCREENS and allowed.get(screen, True)


def may_type(account: Account, field: str) -> bool:
    return field in TIME_FIELDS and account.linked and (field == "quiet" or account.family)


async def toggle(ctx: AppContext, account: Account, kind: str) -> Account | None:
    """Switch one alert kind; the account as it is now."""
    if not account.family:
        return None
    old = account.prefs
    if kind == "grades":
        prefs = replace(old, alert_grades=not old.alert_grades)
    elif kind == "homework":
        prefs = replace(old, alert_homework=not old.homework_alerts(is_student=account.student))
    elif kind == "timetable":
        prefs = replace(old, alert_timetable=not old.alert_timetable)
    elif kind == "messages":
        prefs = replace(old, alert_messages=not old.alert_messages)
    elif kind == "attendance":
        prefs = replace(old, alert_attendance=not old.attendance_alerts(is_student=account.student))
    else:
        return None
    await prefs_repo.save_preferences(ctx.database, account.user_id, prefs)
    return replace(account, prefs=prefs)


async def choose_quiet(ctx: AppContext, account: Account, start: str, end: str) -> Preferences | None:
    """Preset quiet hours from a button's HHMM times."""
    start_time, end_time = unpack_time(start), unpack_time(end)
    if start_time is None or end_time is None or not account.linked:
        return None
    return await prefs_repo.update_preferences(
        ctx.database, account.user_id, quiet_start=start_time, quiet_end=end_time
    )


async def choose_time(ctx: AppContext, account: Account, field: str, value: str) -> Preferences | None:
    """A preset reminder or summary time from a button's HHMM."""
    chosen = unpack_time(value)
    if chosen is None or field not in ("reminder", "digest") or not account.family:
        return None
    return await _save_time(ctx, account.user_id, field, chosen)


async def choose_delivery(ctx: AppContext, account: Account, *, daily: bool) -> Preferences | None:
    if not account.family:
        return None
    return await prefs_repo.update_preferences(ctx.database, account.user_id, digest_mode=daily)


async def save_typed(ctx: AppContext, user_id: int, field: str, typed: str) -> Preferences | None:
    """Save what the user typed for `field`; None (and nothing saved) when it is not a valid time."""
    if field == "quiet":
        hours = parse_range(typed)
        if hours is None:
            return None
        return await prefs_repo.update_preferences(ctx.database, user_id, quiet_start=hours[0], quiet_end=hours[1])
    value = parse_time(typed)
    return None if value is None else await _save_time(ctx, user_id, field, value)


async def _save_time(ctx: AppContext, user_id: int, field: str, value: time) -> Preferences:
    if field == "reminder":
        return await prefs_repo.update_preferences(ctx.database, user_id, reminder_time=value)
    return await prefs_repo.update_preferences(ctx.database, user_id, digest_time=value, digest_mode=True)


def offers_language(code: str) -> bool:
    return code in LANGUAGES


async def set_language(ctx: AppContext, user_id: int, code: str) -> None:
    await users_repo.set_language(ctx.database, user_id, code)
