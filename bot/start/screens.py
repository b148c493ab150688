"""The welcome, /help, and the answers to what nobody understood."""

from __future__ import annotations

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.features import Audience, Command
from bot.ui.commands import ordered
from bot.ui.memo import per_language


def welcome_text(first_name: str | None, *, linked: bool) -> str:
    intro = _(
        "Hello, {name}! I am the school e-diary bot.\n\n"
        "I show marks and the timetable with its changes, send every new grade as it appears, "
        "remind about homework and let you write to teachers."
    ).format(name=html.quote(first_name or ""))
    if linked:
        next_step = _("Your account is linked: use the menu below or /help.")
    else:
        next_step = _(
            "To begin, link your account with the one-time code the school gave you: "
            "send /link or open the link from your code card. I never ask for your e-diary password."
        )
    return f"{intro}\n\n{next_step}"


@per_language(maxsize=64)  # a few kinds of account in each language
def help_text(commands: tuple[Command, ...], audiences: frozenset[Audience]) -> str:
    """The commands this account can use now (by the audiences each feature declares for its commands)."""
    lines = [_("<b>What I can do</b>")]
    lines += [
        f"/{command.name} — {_(command.description_for(audiences))}"
        for command in ordered(commands)
        if command.audience in audiences
    ]
    if Audience.LINKED not in audiences:
        lines += ["", _("Marks, the timetable and messages to teachers come once you link your account: /link.")]
    if Audience.TEACHERS in audiences:
        lines += ["", teacher_reply_hint()]
    return "\n".join(lines)


def teacher_reply_hint() -> str:
    return _(
        "To answer a parent or a student, reply to their message here (swipe it to the left), "
        "or open /inbox and choose the conversation."
    )


def not_understood_text(text: str, *, teacher: bool = False) -> str:
    if text.startswith("/"):
        return _("I don't know this command. Here is what I can do: /help")
    if teacher:  # most likely an answer to a family typed as a new message: it would reach nobody
        return _("I haven't passed this message on to anyone: I pass on replies only.") + " " + teacher_reply_hint()
    return _("I didn't understand that. Use the menu below or /help.")


def stale_button_text() -> str:
    return _("This button is out of date. Please open the menu again.")
