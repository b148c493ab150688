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
from bot.ediary.model import Role
from bot.ediary.provider import ProviderError
from bot.i18n import DEFAULT_LOCALE, pick_locale
from bot.messaging.drafts import Draft
from bot.messaging.refs import relay_ref
from bot.messaging.render import relay_calls
from bot.ui import Translator
from storage import links as links_repo
from storage import messages as messages_repo
from storage import users as users_repo
from storage.messages import Thread, ThreadMessage
from storage.preferences import get_preferences

log = logging.getLogger(__name__)

HOURLY_LIMIT = 20  # messages a parent or student may write to teachers in any hour


@dataclass(frozen=True, slots=True)
class RateLimited:
    """Nothing was stored: the family account wrote HOURLY_LIMIT messages in the last hour."""

    next_allowed_at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    thread: Thread
    message: ThreadMessage | None  # None: this Telegram message had been stored already (a repeat)
    recipients: int  # the other side's linked accounts (muted ones included)
    deferred_until: datetime | None  # quiet hours: when the first recipient will be notified
    ediary: str | None  # 'sent' | 'pending' (the e-diary did not answer yet) | None


async def translator_for(ctx: AppContext, user_id: int) -> Translator:
    """Texts for another account, in its language (the update at hand is someone else's)."""
    return Translator(ctx.i18n, pick_locale(await users_repo.user_language(ctx.database, user_id), None))


async def next_allowed_at(ctx: AppContext, user_id: int) -> datetime | None:
    """None when the account may write now, else when its hourly limit frees a place."""
    now = ctx.clock.now()
    times = await messages_repo.family_messages_since(ctx.database, user_id, now - timedelta(hours=1))
    if len(times) < HOURLY_LIMIT:
        return None
    return times[len(times) - HOURLY_LIMIT] + timedelta(hours=1)


async def post(
    ctx: AppContext, thread: Thread, *, author_user_id: int, from_teacher: bool, draft: Draft
) -> Outcome | RateLimited:
    """Store and queue one message (a family account over its hourly limit gets RateLimited, nothing stored).

    An unsaved thread (id 0, service.unsaved_thread) is created in the same transaction.
    """
    db, now = ctx.database, ctx.clock.now()
    async with db.transaction():
        if not from_teacher and (later := await next_allowed_at(ctx, author_user_id)) is not None:
            return RateLimited(later)
        if thread.id == 0:
            thread = await _store_thread(ctx, thread, now)
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
        recipients = await _accounts_of(
            ctx,
            thread.sender_person_id if from_teacher else thread.teacher_id,
            thread.sender_role if from_teacher else Role.TEACHER.value,
        )
        notify_times = [
            when
            for user_id in recipients
            if (when := await enqueue_relay(ctx, message, thread, user_id, now=now)) is not None
        ]
        ediary = None
        if not recipients:
            ediary = "pending" if ctx.ediary.capabilities.messaging else None
            await messages_repo.set_delivery_state(db, message.id, awaiting=True, ediary_state=ediary)
    log.info("message %s stored in thread %s for %d account(s)", message.id, thread.id, len(recipients))
    if notify_times:
        queue.wake(ctx)
    if ediary == "pending":
        await carry_to_ediary(ctx)
        stored = await messages_repo.get_message(db, message.id)
        ediary = stored.ediary_state if stored is not None else None
    deferred = min(notify_times) if notify_times else None
    if deferred is not None and deferred <= now:
        deferred = None
    return Outcome(thread, message, len(recipients), deferred, ediary)


async def enqueue_relay(
    ctx: AppContext, message: ThreadMessage, thread: Thread, user_id: int, *, now: datetime
) -> datetime | None:
    """Queue `message` for one account (inside the caller's transaction); when it may notify, or None if muted."""
    db = ctx.database  # `now` is the caller's one reading: a second one would put every message in quiet hours
    if not message.from_teacher and await messages_repo.is_muted(db, thread.id, user_id):
        return None
    prefs = await get_preferences(db, user_id)
    calls = relay_calls(message, thread, await translator_for(ctx, user_id), silent=not prefs.alert_messages)
    ref = relay_ref(message.id)
    await queue.queue_calls(ctx, user_id, prefs, calls, kind="message", dedupe_key=f"{ref}:{user_id}", now=now, ref=ref)
    return prefs.deliver_after(now, ctx.settings.tz)


async def _accounts_of(ctx: AppContext, person_id: str, role: str) -> list[int]:
    """Telegram accounts linked as this person in this role (the other side's recipients)."""
    links = await links_repo.links_of_people(ctx.database, [person_id])
    return [link.user_id for link in links if link.role == role]


async def _store_thread(ctx: AppContext, thread: Thread, now: datetime) -> Thread:
    """Create the thread, or refresh the e-diary names of the people in it (on every family message)."""
    return await messages_repo.upsert_thread(
        ctx.database,
        sender_person_id=thread.sender_person_id,
        sender_role=thread.sender_role,
        teacher_id=thread.teacher_id,
        student_id=thread.student_id,
        sender_name=thread.sender_name,
        teacher_name=thread.teacher_name,
        teacher_subjects=thread.teacher_subjects,
        student_name=thread.student_name,
        class_name=thread.class_name,
        now=now,
        student_sex=thread.student_sex,
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
    db, carried = ctx.database, 0
    async with ctx.ediary_messages_lock:
        for message in await messages_repo.ediary_pending(db):
            if not message.awaiting_recipient:  # the recipient linked meanwhile and got it in Telegram
                await messages_repo.set_delivery_state(db, message.id, awaiting=False, ediary_state=None)
                continue
            thread = await messages_repo.get_thread(db, message.thread_id)
            if thread is None:
                continue
            sender, recipient = (
                (thread.teacher_id, thread.sender_person_id)
                if message.from_teacher
                else (thread.sender_person_id, thread.teacher_id)
            )
            try:
                await ctx.ediary.send_message(sender, recipient, thread.student_id, ediary_text(ctx, message))
            except ProviderError as exc:
                log.warning("e-diary messaging unavailable (%s); messages wait for the next pass", type(exc).__name__)
                break
            await messages_repo.set_ediary_state(db, message.id, "sent")
            carried += 1
    if carried:
        log.info("carried %d message(s) through the e-diary", carried)
    return carried
