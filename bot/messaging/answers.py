"""Messaging's plain answers: what happened to a message sent (or why it was not), what was wrong with a
draft, and the alerts of a button or a reply that no longer means anything. Like the screens, they take a
`Translator` (the handler passes `Translator.current`)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from aiogram import html

from bot.messaging.drafts import DraftProblem, Refused
from bot.messaging.relay import HOURLY_LIMIT, Outcome
from bot.ui import Translator


def when_text(moment: datetime, tz: tzinfo, now: datetime, tr: Translator) -> str:
    """ "at 07:00", "tomorrow at 07:00" or "on 28.11 at 07:00" (school time)."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return tr.gettext("at {time}").format(time=clock)
    if local.date() == today + timedelta(days=1):
        return tr.gettext("tomorrow at {time}").format(time=clock)
    return tr.gettext("on {date} at {time}").format(date=local.strftime("%d.%m"), time=clock)


def outcome_text(outcome: Outcome, tr: Translator, tz: tzinfo, now: datetime, *, to_teacher: bool) -> str:
    thread = outcome.thread
    name = html.quote(thread.teacher_name if to_teacher else thread.sender_name)
    if outcome.message is None:
        return tr.gettext("This message has already been sent.")
    if outcome.recipients == 0:
        if to_teacher:
            text = tr.gettext(
                "📨 Saved. {name} has not joined the school bot yet: I will deliver your message as soon as they do."
            ).format(name=name)
        else:
            text = tr.gettext(
                "📨 Saved. {name} is not linked to the bot now: I will deliver your answer as soon as they link again."
            ).format(name=name)
        if outcome.ediary == "sent":
            text += " " + tr.gettext("I have also sent it to them through the e-diary's messages.")
        elif outcome.ediary == "pending":
            text += " " + tr.gettext(
                "I will also pass it on through the e-diary's messages as soon as the e-diary answers."
            )
        return text
    if outcome.deferred_until is not None:
        return tr.gettext(
            "✅ Sent to {name}. It is outside their notification hours now, so they will be notified {when}."
        ).format(name=name, when=when_text(outcome.deferred_until, tz, now, tr))
    return tr.gettext("✅ Sent to {name}. The answer will come to this chat; all conversations are in /inbox.").format(
        name=name
    )


def rate_limit_text(next_at: datetime, tr: Translator, tz: tzinfo, now: datetime, *, draft_kept: bool) -> str:
    text = tr.ngettext(
        "You have written {n} message to teachers in the last hour, which is the limit.",
        "You have written {n} messages to teachers in the last hour, which is the limit.",
        HOURLY_LIMIT,
    ).format(n=HOURLY_LIMIT)
    when = when_text(next_at, tz, now, tr)
    if draft_kept:
        return (
            text
            + " "
            + tr.gettext("You can send this one {when}: your draft is kept, press «Send» again then.").format(when=when)
        )
    return text + " " + tr.gettext("Nothing was sent; you can write again {when}.").format(when=when)


def problem_text(refused: Refused, tr: Translator) -> str:
    if refused.problem == DraftProblem.TEXT_TOO_LONG:
        return tr.gettext(
            "Your message is {n} characters long, and the limit is 4096. Please shorten it or split "
            "it into two messages: nothing has been sent."
        ).format(n=refused.length)
    if refused.problem == DraftProblem.CAPTION_TOO_LONG:
        return tr.gettext(
            "The caption is {n} characters long, and a caption may be up to 800. Please shorten "
            "it, or send the text as a separate message."
        ).format(n=refused.length)
    if refused.problem == DraftProblem.EMPTY:
        return tr.gettext("The message is empty. Please write some text.")
    return tr.gettext(
        "I can pass on text, photos and documents only. Please write your message, or attach the file as a document."
    )


def muted(tr: Translator, *, mute: bool) -> str:
    if mute:
        return tr.gettext(
            "🔕 Muted. New messages in this conversation will not come to your chat: they are "
            "kept in /inbox with an unread count. The sender is not told."
        )
    return tr.gettext("🔔 Unmuted: new messages in this conversation will come to your chat again.")


def cancelled(tr: Translator) -> str:
    return tr.gettext("Cancelled: nothing was sent.")


# --- a forged or outdated button, FSM data or reply: said the same way ------------------------------


def student_unavailable(tr: Translator) -> str:
    return tr.gettext("This student is not available to you.")


def class_unavailable(tr: Translator) -> str:
    return tr.gettext("This class is not available to you.")


def student_gone(tr: Translator) -> str:
    return tr.gettext("This student is no longer available to you. Start again: /message")


def teacher_unavailable(tr: Translator) -> str:
    return tr.gettext("You cannot write to this teacher about this student.")


def teacher_gone(tr: Translator) -> str:
    return tr.gettext("This teacher is no longer available to you. Start again: /message")


def draft_gone(tr: Translator) -> str:
    return tr.gettext("This draft is no longer here: it was sent or cancelled.")


def thread_unavailable(tr: Translator) -> str:
    return tr.gettext("This conversation is not available to you.")


def thread_gone(tr: Translator) -> str:
    return tr.gettext("This conversation is not available to you any more.")


def message_unavailable(tr: Translator) -> str:
    return tr.gettext("This message is not available to you.")


def file_gone(tr: Translator) -> str:
    return tr.gettext("This file is no longer available: it was deleted from the sender's chat.")
