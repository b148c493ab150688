"""/inbox screens from storage: the account's threads with unread counts, and a thread's history."""

from __future__ import annotations

import math

from bot.context import AppContext
from bot.ediary.model import Role
from bot.messaging import views
from bot.messaging.people import Side
from bot.messaging.render import Translator
from bot.messaging.views import MESSAGES_PER_PAGE, THREADS_PER_PAGE, InboxEntry
from storage import links as links_repo
from storage import messages as messages_repo
from storage.messages import Thread


async def inbox_screen(ctx: AppContext, user_id: int, page: int, tr: Translator) -> views.Screen:
    db = ctx.db
    links = await links_repo.links_of_user(db, user_id)
    if not links:
        return tr.gettext("To see conversations with teachers, first link your e-diary account: /link"), None
    teacher_ids = {link.person_id for link in links if link.role == Role.TEACHER}
    family = {(link.person_id, link.role) for link in links if link.role != Role.TEACHER}
    mine = []
    for thread in await messages_repo.threads_of_people(db, [link.person_id for link in links]):
        if thread.teacher_id in teacher_ids:
            mine.append((thread, True))
        elif (thread.sender_person_id, thread.sender_role) in family:
            mine.append((thread, False))
    pages = max(1, math.ceil(len(mine) / THREADS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    entries = []
    for thread, as_teacher in mine[page * THREADS_PER_PAGE : (page + 1) * THREADS_PER_PAGE]:
        entries.append(
            InboxEntry(
                thread,
                as_teacher,
                await messages_repo.unread_count(db, thread.id, user_id, from_teacher=not as_teacher),
                as_teacher and await messages_repo.is_muted(db, thread.id, user_id),
                await messages_repo.last_message(db, thread.id),
            )
        )
    return views.inbox_page(
        entries,
        page,
        pages,
        is_teacher=bool(teacher_ids) and not family,
        tr=tr,
        tz=ctx.settings.tz,
        now=ctx.clock.now(),
    )


async def thread_screen(
    ctx: AppContext, user_id: int, thread: Thread, side: Side, page: int, tr: Translator
) -> views.Screen:
    """A page of the history (0 = latest); opening a thread marks it read for this account."""
    db = ctx.db
    total = await messages_repo.count_messages(db, thread.id)
    pages = max(1, math.ceil(total / MESSAGES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    messages = await messages_repo.message_page(db, thread.id, page, MESSAGES_PER_PAGE)
    last = await messages_repo.last_message(db, thread.id)
    if last is not None:
        await messages_repo.mark_read(db, thread.id, user_id, last.id)
    as_teacher = side == Side.TEACHER
    muted = as_teacher and await messages_repo.is_muted(db, thread.id, user_id)
    return views.thread_page(
        thread,
        messages,
        page=page,
        pages=pages,
        total=total,
        viewer_is_teacher=as_teacher,
        muted=muted,
        tr=tr,
        tz=ctx.settings.tz,
        now=ctx.clock.now(),
    )
