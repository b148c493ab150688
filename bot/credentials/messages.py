"""The admins' notices about the e-diary's credentials (HTML, in the admin's language)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import html
from babel.dates import format_datetime

from bot.ui import Translator

# Brand names stay as the schools know them, in every language.
PROVIDER_NAMES = {"dnevnik": "Дневник.ру", "mesh": "МЭШ"}


def provider_name(name: str) -> str:
    return PROVIDER_NAMES.get(name, name)


def problem_text(t: Translator, provider: str, problem: str) -> str:
    title = t.gettext("The bot cannot read the e-diary ({provider})").format(
        provider=html.quote(provider_name(provider))
    )
    return "\n".join(
        [
            f"⚠️ <b>{title}</b>",
            t.gettext(
                "The e-diary refuses the bot's credentials: grades, timetables and alerts are not updated until "
                "this is fixed."
            ),
            "",
            t.gettext("What to do (the server's log says the same):"),
            f"<code>{html.quote(problem)}</code>",
        ]
    )


def expiry_text(t: Translator, provider: str, expires_at: datetime, now: datetime, tz: tzinfo) -> str:
    when = format_datetime(expires_at.astimezone(tz), "d MMMM, HH:mm", locale=t.locale)
    name = html.quote(provider_name(provider))
    if expires_at <= now:
        title = t.gettext("The e-diary token ({provider}) expired on {when}").format(provider=name, when=when)
    else:
        title = t.gettext("The e-diary token ({provider}) expires on {when}").format(provider=name, when=when)
    return "\n".join(
        [
            f"⏳ <b>{title}</b>",
            t.gettext(
                "The bot cannot renew it by itself: give it a new token, or the bot stops reading the e-diary "
                "(see the README for this e-diary)."
            ),
        ]
    )


def working_again_text(t: Translator, provider: str) -> str:
    title = t.gettext("The bot reads the e-diary again ({provider})").format(
        provider=html.quote(provider_name(provider))
    )
    return "\n".join(
        [
            f"✅ <b>{title}</b>",
            t.gettext("The e-diary accepts its credentials again: grades, timetables and alerts are updated again."),
        ]
    )
