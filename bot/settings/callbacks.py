"""The /settings buttons (prefixes "s…"). Every value is re-checked on the server: a forged one is a stale button.
The bounds keep the packed data within Telegram's 64 bytes; a longer forged value matches no settings button."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

NAME_MAX = 10  # a screen, alert kind or field name: the longest is "attendance" (4 bytes a character: ≤ 64)
HHMM = 4  # a time carried in a button, "1800"


class SettingsScreenCb(CallbackData, prefix="sv"):
    """Show a settings screen in place: "main", "quiet", "reminder", "delivery", "language" or "done"."""

    screen: str = Field(max_length=NAME_MAX)


class SettingsToggleCb(CallbackData, prefix="st"):
    """Switch one alert kind on or off: "grades", "homework", "timetable", "messages" or "attendance"."""

    kind: str = Field(max_length=NAME_MAX)


class SettingsTimeCb(CallbackData, prefix="sm"):
    """A preset time, HHMM: `field` "reminder" or "digest" (choosing a summary time turns the summary on)."""

    field: str = Field(max_length=NAME_MAX)
    value: str = Field(max_length=HHMM)


class SettingsQuietCb(CallbackData, prefix="sq"):
    """Preset quiet hours, HHMM to HHMM (equal times: no quiet hours)."""

    start: str = Field(max_length=HHMM)
    end: str = Field(max_length=HHMM)


class SettingsAskCb(CallbackData, prefix="sa"):
    """Type a time instead: `field` "quiet", "reminder" or "digest"."""

    field: str = Field(max_length=NAME_MAX)


class SettingsDeliveryCb(CallbackData, prefix="sd"):
    """Alerts as they happen (daily=False) or one daily summary (daily=True)."""

    daily: bool


class SettingsLanguageCb(CallbackData, prefix="sl"):
    """The bot's language for this account: "ru" or "en"."""

    code: str = Field(max_length=8)
