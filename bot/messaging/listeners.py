"""Messaging's part in cross-feature events and the scheduler.

- person_linked: messages that waited for this person (a teacher who had not joined, or a family member who
  unlinked) are queued for the new account now; their authors hear that the teacher has joined.
- user_forgotten (/forget): what the account wrote is deleted, with its relays still queued; copies already
  delivered stay in the other person's Telegram chat, and the other side's messages stay in our database,
  because they are that person's correspondence (a teacher keeps their answers, a parent the teacher's).
  Threads left without messages are deleted; the account's read marks and mutes go too.
- Every poll interval, messages for people not on Telegram are (re)tried through the e-diary's messaging.
"""

from __future__ import annotations

import logging

from aiogram import html

from bot.context import AppContext
from bot.delivery import queue
from bot.ediary.model import Role
from bot.messaging.refs import relay_ref
from bot.messaging.relay import carry_to_ediary, enqueue_relay, translator_for
from storage import messages as messages_repo
from storage.messages import Thread
from storage.preferences import get_preferences

log = logging.getLogger(__name__)


async def deliver_waiting_messages(ctx: AppContext, user_id: int, person_id: str, role: str) -> None:
    if role not in (Role.TEACHER, Role.PARENT, Role.STUDENT):
        return
    as_teacher = role == Role.TEACHER
    db = ctx.database
    waiting = await messages_repo.awaiting_messages(db, person_id, as_teacher=as_teacher)
    if not waiting:
        return
    threads: dict[int, Thread] = {}
    delivered: dict[tuple[int, int], int] = {}  # (author, thread) -> how many of theirs were waiting
    now = ctx.clock.now()
    async with db.transaction():
        for message in waiting:
            thread = threads.get(message.thread_id) or await messages_repo.get_thread(db, message.thread_id)
            if thread is None or (not as_teacher and thread.sender_role != role):
                continue
            threads[thread.id] = thread
            await enqueue_relay(ctx, message, thread, user_id, now=now)
            carried = "sent" if message.ediary_state == "sent" else None  # a pending e-diary copy is moot now
            await messages_repo.set_delivery_state(db, message.id, awaiting=False, ediary_state=carried)
            key = (message.author_user_id, thread.id)
            delivered[key] = delivered.get(key, 0) + 1
        if as_teacher:
            for (author, thread_id), count in delivered.items():
                await _tell_author(ctx, author, threads[thread_id], count, last_id=waiting[-1].id)
    log.info("delivered %d waiting message(s) to a newly linked %s account", sum(delivered.values()), role)
    queue.wake(ctx)


async def _tell_author(ctx: AppContext, author: int, thread: Thread, count: int, last_id: int) -> None:
    tr = await translator_for(ctx, author)
    text = tr.ngettext(
        "✅ {teacher} has joined the school bot: your waiting message about {student} has been delivered.",
        "✅ {teacher} has joined the school bot: your {n} waiting messages about {student} have been delivered.",
        count,
    ).format(teacher=thread.teacher_name, student=thread.student_name, n=count)
    prefs = await get_preferences(ctx.database, author)
    key, now = f"msg-joined:{thread.id}:{author}:{last_id}", ctx.clock.now()
    await queue.queue_message(ctx, author, prefs, kind="message", text=html.quote(text), dedupe_key=key, now=now)


async def forget_messages(ctx: AppContext, user_id: int) -> None:
    deleted = await messages_repo.forget_author(ctx.database, user_id, outbox_ref=relay_ref)
    log.info("forgot %d message(s) of an account", deleted)


async def retry_ediary_messages(ctx: AppContext) -> int:
    return await carry_to_ediary(ctx)
