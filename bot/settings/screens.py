"""The /settings screens: texts and inline keyboards (rendered in the user's language with `_()`)."""

from __future__ import annotations

from datetime import time

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.settings.callbacks import (
    SettingsAskCb,
    SettingsDeliveryCb,
    SettingsLanguageCb,
    SettingsQuietCb,
    SettingsScreenCb,
    SettingsTimeCb,
    SettingsToggleCb,
)
from bot.settings.service import LANGUAGES, Account
from bot.settings.times import pack_time, show_time
from bot.ui import Screen
from bot.ui.keyboard import Keyboard
from storage.preferences import Preferences

REMINDER_PRESETS = (time(16), time(17), time(18), time(19), time(20), time(21))
DIGEST_PRESETS = (time(8), time(15), time(18), time(19), time(20), time(21))
QUIET_PRESETS = ((time(21), time(7)), (time(22), time(7)), (time(23), time(8)))
MAX_ECHO = 40  # characters of bad input quoted back


def _bold(icon: str, title: str) -> str:
    return f"{icon}<b>{title}</b>"


def _mark(on: bool) -> str:
    return "✅" if on else "▫️"


def quiet_label(prefs: Preferences) -> str:
    if prefs.quiet_start == prefs.quiet_end:
        return _("off")
    return f"{show_time(prefs.quiet_start)}–{show_time(prefs.quiet_end)}"


def delivery_label(prefs: Preferences) -> str:
    if prefs.digest_mode:
        return _("one daily summary at {time}").format(time=show_time(prefs.digest_time))
    return _("as they happen")


def main_screen(account: Account) -> Screen:
    prefs = account.prefs
    lines = [_bold("⚙️ ", _("Settings"))]
    kb = Keyboard()
    sizes: list[int] = []
    if account.family:
        homework = prefs.homework_alerts(is_student=account.student)
        attendance = prefs.attendance_alerts(is_student=account.student)
        lines += [
            "",
            _bold("", _("Alerts")),
            _mark(prefs.alert_grades) + " " + _("New and corrected grades"),
            _mark(homework)
            + " "
            + _("Homework reminders: the day before, at {time}").format(time=show_time(prefs.reminder_time)),
            _mark(prefs.alert_timetable) + " " + _("Timetable changes for today and tomorrow"),
            _mark(prefs.alert_messages)
            + " "
            + (
                _("Teachers' messages, with a notification")
                if prefs.alert_messages
                else _("Teachers' messages arrive silently, without a notification")
            ),
            _mark(attendance) + " " + _("Absences and lateness, as the teacher marks them"),
        ]
        for kind, on, label in (
            ("grades", prefs.alert_grades, _("Grades")),
            ("homework", homework, _("Homework")),
            ("timetable", prefs.alert_timetable, _("Timetable")),
            ("messages", prefs.alert_messages, _("Teachers' messages")),
            ("attendance", attendance, _("Attendance")),
        ):
            kb.button(text=f"{_mark(on)} {label}", callback_data=SettingsToggleCb(kind=kind))
        sizes += [2, 2, 1]
    if account.linked:
        lines += ["", "🌙 " + _("Quiet hours: {hours}").format(hours=quiet_label(prefs))]
        kb.button(text="🌙 " + _("Quiet hours"), callback_data=SettingsScreenCb(screen="quiet"))
        sizes.append(1)
    if account.family:
        lines.append("📬 " + _("Alerts arrive: {how}").format(how=delivery_label(prefs)))
        kb.button(text="⏰ " + _("Reminder time"), callback_data=SettingsScreenCb(screen="reminder"))
        kb.button(text="📬 " + _("Delivery"), callback_data=SettingsScreenCb(screen="delivery"))
        sizes += [1, 1]
    if not account.linked:
        lines.append("")
    lines.append("🌐 " + _("Language: {language}").format(language=LANGUAGES[account.language]))
    kb.button(text="🌐 " + _("Language"), callback_data=SettingsScreenCb(screen="language"))
    kb.button(text="✔️ " + _("Done"), callback_data=SettingsScreenCb(screen="done"))
    sizes += [1, 1]
    if not account.linked:
        lines += [
            "",
            _("Alerts about grades, homework and the timetable can be set up once your account is linked: /link"),
        ]
    kb.adjust(*sizes)
    return Screen("\n".join(lines), kb.as_markup())


def done_screen(account: Account) -> Screen:
    return Screen(main_screen(account).text + "\n\n" + _("Saved. Open /settings to change them again."))


def _back(kb: Keyboard) -> None:
    kb.button(text="⬅️ " + _("Back"), callback_data=SettingsScreenCb(screen="main"))


def quiet_screen(prefs: Preferences) -> Screen:
    text = "\n".join(
        [
            _bold("🌙 ", _("Quiet hours")),
            "",
            _("Now: {hours}").format(hours=quiet_label(prefs)),
            "",
            _("Alerts found during quiet hours are not lost: they arrive as soon as quiet hours end."),
        ]
    )
    kb = Keyboard()
    current = (prefs.quiet_start, prefs.quiet_end)
    for start, end in QUIET_PRESETS:
        label = f"{show_time(start)}–{show_time(end)}"
        kb.button(
            text=f"• {label} •" if (start, end) == current else label,
            callback_data=SettingsQuietCb(start=pack_time(start), end=pack_time(end)),
        )
    kb.button(text="✏️ " + _("Other hours…"), callback_data=SettingsAskCb(field="quiet"))
    kb.button(text="🔔 " + _("No quiet hours"), callback_data=SettingsQuietCb(start="0000", end="0000"))
    _back(kb)
    kb.adjust(len(QUIET_PRESETS), 1, 1, 1)
    return Screen(text, kb.as_markup())


def _time_buttons(kb: Keyboard, field: str, presets: tuple[time, ...], current: time | None) -> None:
    for value in presets:
        label = show_time(value)
        kb.button(
            text=f"• {label} •" if value == current else label,
            callback_data=SettingsTimeCb(field=field, value=pack_time(value)),
        )


def reminder_screen(prefs: Preferences) -> Screen:
    text = "\n".join(
        [
            _bold("⏰ ", _("Reminder time")),
            "",
            _("Homework is reminded the day before it is due, at {time}.").format(time=show_time(prefs.reminder_time)),
            _("Homework set later than that for the next day is reminded at once."),
        ]
    )
    kb = Keyboard()
    _time_buttons(kb, "reminder", REMINDER_PRESETS, prefs.reminder_time)
    kb.button(text="✏️ " + _("Other time…"), callback_data=SettingsAskCb(field="reminder"))
    _back(kb)
    kb.adjust(3, 3, 1, 1)
    return Screen(text, kb.as_markup())


def delivery_screen(prefs: Preferences) -> Screen:
    lines = [
        _bold("📬 ", _("Delivery")),
        "",
        _("Alerts arrive: {how}").format(how=delivery_label(prefs)),
        "",
        _(
            "With a daily summary, new grades, timetable changes, absences and lateness are collected and sent as "
            "one message at the time you choose. Homework reminders and teachers' messages are not held back for it."
        ),
    ]
    kb = Keyboard()
    kb.button(
        text=_mark(not prefs.digest_mode) + " " + _("As they happen"), callback_data=SettingsDeliveryCb(daily=False)
    )
    kb.button(text=_mark(prefs.digest_mode) + " " + _("Daily summary"), callback_data=SettingsDeliveryCb(daily=True))
    sizes = [2]
    if prefs.digest_mode:
        lines += ["", _("Summary time:")]
        _time_buttons(kb, "digest", DIGEST_PRESETS, prefs.digest_time)
        kb.button(text="✏️ " + _("Other time…"), callback_data=SettingsAskCb(field="digest"))
        sizes += [3, 3, 1]
    _back(kb)
    kb.adjust(*sizes, 1)
    return Screen("\n".join(lines), kb.as_markup())


def language_screen(current: str) -> Screen:
    kb = Keyboard()
    for code, name in LANGUAGES.items():
        kb.button(text=f"• {name} •" if code == current else name, callback_data=SettingsLanguageCb(code=code))
    _back(kb)
    kb.adjust(len(LANGUAGES), 1)
    return Screen(_bold("🌐 ", _("Language")) + "\n\n" + _("Choose the language of the bot:"), kb.as_markup())


def ask_screen(field: str) -> Screen:
    """The prompt of a typed time, with Cancel (back to the screen it came from)."""
    prompts = {
        "quiet": _(
            "Send the quiet hours as two times, for example <code>22:00-07:00</code>. Equal times turn quiet hours off."
        ),
        "reminder": _("Send the reminder time, for example <code>18:30</code>."),
        "digest": _("Send the time of the daily summary, for example <code>19:30</code>."),
    }
    kb = Keyboard()
    kb.button(text="✖️ " + _("Cancel"), callback_data=SettingsScreenCb(screen=_ORIGIN[field]))
    return Screen(prompts[field], kb.as_markup())


_ORIGIN = {"quiet": "quiet", "reminder": "reminder", "digest": "delivery"}


def bad_time_screen(field: str, typed: str) -> Screen:
    """What the user typed is not a time: quote it back (shortened), keep the step open with Cancel."""
    echo = html.quote(typed[:MAX_ECHO] + ("…" if len(typed) > MAX_ECHO else ""))
    if field == "quiet":
        text = _(
            "“{typed}” does not look like quiet hours. Send two times from 00:00 to 23:59, for example "
            "<code>22:00-07:00</code>, or press Cancel."
        ).format(typed=echo)
    else:
        text = _(
            "“{typed}” does not look like a time. Send hours and minutes from 00:00 to 23:59, for example "
            "<code>18:30</code>, or press Cancel."
        ).format(typed=echo)
    return Screen(text, ask_screen(field).markup)


def not_text_screen(field: str) -> Screen:
    """A photo or a sticker instead of a time: say what is expected; the step stays open."""
    return Screen(_("Please send the time as text, or press Cancel."), ask_screen(field).markup)


def saved_text(field: str, prefs: Preferences) -> str:
    if field == "quiet":
        return _("Quiet hours: {hours}.").format(hours=quiet_label(prefs))
    if field == "reminder":
        return _("Homework reminders at {time}.").format(time=show_time(prefs.reminder_time))
    return _("Daily summary at {time}.").format(time=show_time(prefs.digest_time))


def field_screen(field: str, prefs: Preferences) -> Screen:
    """The screen a typed or preset time belongs to."""
    if field == "quiet":
        return quiet_screen(prefs)
    if field == "reminder":
        return reminder_screen(prefs)
    return delivery_screen(prefs)


def saved_screen(field: str, prefs: Preferences) -> Screen:
    """A typed time was saved: say so above its screen (sent as a new message after the user's)."""
    screen = field_screen(field, prefs)
    return Screen(f"✅ {saved_text(field, prefs)}\n\n{screen.text}", screen.markup)


def by_name(name: str, account: Account) -> Screen:
    """One of bot.settings.service.SCREENS."""
    match name:
        case "main":
            return main_screen(account)
        case "done":
            return done_screen(account)
        case "language":
            return language_screen(account.language)
        case "quiet":
            return quiet_screen(account.prefs)
        case "reminder":
            return reminder_screen(account.prefs)
        case "delivery":
            return delivery_screen(account.prefs)
    raise ValueError(f"no settings screen {name!r}")


def language_changed_text(code: str) -> str:
    """In the new language: sent with the main menu, whose buttons change language too."""
    return _("Language: {language}").format(language=LANGUAGES[code])


def stale_text() -> str:
    return _("This button is out of date. Please open /settings again.")
