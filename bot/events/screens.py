"""The /events screens, in the viewer's language (a Translator, like the reminders that share the lines)."""

from __future__ import annotations

from datetime import tzinfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.events.callbacks import EventsPageCb
from bot.events.render import day_title, event_line
from bot.events.service import HORIZON_DAYS, EventsPage, Refusal
from bot.ui import Screen, Translator, outage_screen


def events_screen(page: EventsPage, t: Translator, tz: tzinfo) -> Screen:
    if not page.days:
        return Screen(
            t.ngettext(
                "📅 No school events for you in the next {n} day.",
                "📅 No school events for you in the next {n} days.",
                HORIZON_DAYS,
            ).format(n=HORIZON_DAYS)
        )
    title = t.gettext("📅 <b>Coming school events</b>")
    if page.pages > 1:
        title += " " + t.gettext("(page {page} of {pages})").format(page=page.page + 1, pages=page.pages)
    lines = [title]
    for day, events in page.days:
        lines += ["", f"<b>{day_title(t, day, page.today)}</b>"]
        lines += [event_line(t, event, page.scope, tz) for event in events]
    nav = []
    if page.page > 0:
        nav.append(_button(t.gettext("⬅️ Earlier"), EventsPageCb(page=page.page - 1)))
    if page.page + 1 < page.pages:
        nav.append(_button(t.gettext("Later ➡️"), EventsPageCb(page=page.page + 1)))
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[nav]) if nav else None)


def refusal_text(refusal: Refusal, t: Translator) -> str:
    if refusal is Refusal.NOT_SUPPORTED:
        return t.gettext(
            "📅 This school's e-diary does not give school events, so I cannot show them or remind you of them. "
            "Please ask the school how it announces its events."
        )
    return t.gettext("To see school events, first link your e-diary account: /link")


def outage(t: Translator, page: int) -> Screen:
    return outage_screen(
        t.gettext("📅 The e-diary did not answer, so I cannot show the events now. Please try again in a minute."),
        EventsPageCb(page=page).pack(),
    )


def _button(text: str, data: EventsPageCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())
