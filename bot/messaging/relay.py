"""Storing a message and relaying it: one transaction writes the message and its outbox items.

- Recipients are the other side's linked accounts. A teacher's account that muted the thread gets no item
  (the message waits in /inbox, unread). Quiet hours defer an item (not_before), never drop it; with message
  alerts off in /settings it arrives silently.
- Nobody linked on the other side yet: the message is marked awaiting and relayed by the person_linked
  listener (bot/messaging/listeners.py). With e-diary messaging it is also carried there (carry_to_ediary).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.context import AppContext
from bot.delivery import queue
from bot.ediary.provider import ProviderError
from bot.i18n import DEFAULT_LOCALE, pick_locale
from bot.messaging.drafts import Draft
from bot.messaging.people import accounts_of, thread_fields
from bot.messaging.render import Translator, relay_calls
from storage import messages as messages_repo
from storage import outbox
from storage import users as users_repo
from storage.messages import Thread, ThreadMessage
from storage.preferences import get_preferences

log = logging.getLogger(__name__)

HOURLY_LIMIT = 20  # messages a parent or student may write to teachers in any hour


class RateLimited(Exception):
    def __init__(self, next_allowed_at: datetime) -> None:
        super().__init__(next_allowed_at.isoformat())
        self.next_allowed_at = next_allowed_at


@dataclass(frozen=True, slots=True)
class Outcome:
    thread: Thread
    message: ThreadMessage | None  # None: this Telegram message had been stored already (a repeat)
    recipients: int  # the other side's linked accounts (muted ones included)
    deferred_until: datetime | None  # quiet hours: when the first recipient will be notified
    ediary: str | None  # 'sent' | 'pending' (the e-diary did not answer yet) | None


def translator_for(ctx: AppContext, language: str | None) -> Translator:
    return Translator(ctx.i18n, pick_locale(language, None))


async def next_allowed_at(ctx: AppContext, user_id: int) -> datetime | None:
    """None when the account may write now, else when its hourly limit frees a place."""
    now = ctx.clock.now()
    times = await messages_repo.family_messages_since(ctx.db, user_id, now - timedelta(hours=1))
    if len(times) < HOURLY_LIMIT:
        return None
    return times[len(times) - HOURLY_LIMIT] + timedelta(hours=1)


async def post(ctx: AppContext, thread: Thread, *, author_user_id: int, from_teacher: bool, draft: Draft) -> Outcome:
    """Store and queue one message; raises RateLimited for a family account over its hourly limit.

    An unsaved thread (id 0, people.unsaved_thread) is created in the same transaction.
    """
    db, now = ctx.db, ctx.clock.now()
    async with db.transaction():
        if not from_teacher and (later := await next_allowed_at(ctx, author_user_id)) is not None:
            raise RateLimited(later)
        if thread.id == 0:
            thread = await messages_repo.upsert_thread(db, now=now, **thread_fields(thread))
        message = await messages_repo.add_message(
            db,
            thread_id=thread.id,
            from_teacher=from_teacher,
            author_user_id=author_user_id,
            kind=draft.kind,
            body=draft.body,
            file_name=draft.file_name,
            source_chat_id=draft.source_chat_id,
            source_message_id=draft.source_message_id,
            now=now,
        )
        if message is None:
            return Outcome(thread, None, 0, None, None)
        await messages_repo.mark_read(db, thread.id, author_user_id, message.id)
        recipients = await accounts_of(
            db,
            thread.sender_person_id if from_teacher else thread.teacher_id,
            thread.sender_role if from_teacher else "teacher",
        )
        notify_times = [
            when for user_id in recipients if (when := await enqueue_relay(ctx, message, thread, user_id)) is not None
        ]
        ediary = None
        if not recipients:
            ediary = "pending" if ctx.provider.capabilities.messaging else None
            await messages_repo.set_delivery_state(db, message.id, awaiting=True, ediary_state=ediary)
    log.info("message %s stored in thread %s for %d account(s)", message.id, thread.id, len(recipients))
    if notify_times:
        queue.wake(ctx)
    if ediary == "pending":
        await carry_to_ediary(ctx)
        ediary = (await messages_repo.get_message(db, message.id)).ediary_state  # type: ignore[union-attr]
    deferred = min(notify_times) if notify_times else None
    if deferred is not None and deferred <= now:
        deferred = None
    return Outcome(thread, message, len(recipients), deferred, ediary)


async def enqueue_relay(ctx: AppContext, message: ThreadMessage, thread: Thread, user_id: int) -> datetime | None:
    """Queue `message` for one account (inside the caller's transaction); when it may notify, or None if muted."""
    db, now = ctx.db, ctx.clock.now()
    if not message.from_teacher and await messages_repo.is_muted(db, thread.id, user_id):
        return None
    prefs = await get_preferences(db, user_id)
    not_before = prefs.deliver_after(now, ctx.settings.tz)
    tr = translator_for(ctx, await users_repo.user_language(db, user_id))
    for index, (method, payload) in enumerate(relay_calls(message, thread, tr, silent=not prefs.alert_messages)):
        await outbox.enqueue(
            db,
            chat_id=user_id,
            method=method,
            payload=payload,
            kind="message",
            now=now,
            not_before=not_before,
            dedupe_key=f"msg:{message.id}:{user_id}:{index}",
            ref=f"msg:{message.id}",
        )
    return not_before


async def enqueue_notice(ctx: AppContext, user_id: int, text: str, dedupe_key: str) -> None:
    """A short service note to one account (e.g. "the teacher joined"), respecting its quiet hours."""
    now = ctx.clock.now()
    prefs = await get_preferences(ctx.db, user_id)
    await outbox.enqueue(
        ctx.db,
        chat_id=user_id,
        method="send_message",
        payload={"text": text, "parse_mode": "HTML"},
        kind="message",
        now=now,
        not_before=prefs.deliver_after(now, ctx.settings.tz),
        dedupe_key=dedupe_key,
    )


# --- the e-diary's own messaging, for people not on Telegram -----------------------------------------


def ediary_text(ctx: AppContext, message: ThreadMessage) -> str:
    tr = Translator(ctx.i18n, DEFAULT_LOCALE)
    if message.kind == "text":
        return message.body
    note = (
        tr.gettext("[A photo was sent through the school's Telegram bot: join the bot to see it.]")
        if message.kind == "photo"
        else tr.gettext("[A document was sent through the school's Telegram bot: join the bot to see it.]")
    )
    return f"{message.body}\n\n{note}" if message.body else note


async def carry_to_ediary(ctx: AppContext) -> int:
    """Send messages still waiting for a recipient who is not on Telegram through the e-diary; count sent.

    One pass at a time per process; an e-diary outage leaves them pending for the next pass (a crash right
    after the e-diary accepted one may carry it twice: at least once, never lost).
    """
    carried = 0
    async with ctx.ediary_messages_lock:
        for message in await messages_repo.ediary_pending(ctx.db):
            if not message.awaiting_recipient:  # the recipient linked meanwhile and got it in Telegram
                await messages_repo.set_delivery_state(ctx.db, message.id, awaiting=False, ediary_state=None)
                continue
            thread = await messages_repo.get_thread(ctx.db, message.thread_id)
            if thread is None:
                continue
            sender, recipient = (
                (thread.teacher_id, thread.sender_person_id)
                if message.from_teacher
                else (thread.sender_person_id, thread.teacher_id)
            )
            try:
                await ctx.provider.send_message(sender, recipient, thread.student_id, ediary_text(ctx, message))
            except ProviderError as exc:
                log.warning("e-diary messaging unavailable (%s); messages wait for the next pass", type(exc).__name__)
                break
            await messages_repo.set_ediary_state(ctx.db, message.id, "sent")
            carried += 1
    if carried:
        log.info("carried %d message(s) through the e-diary", carried)
    return carried
