"""What the /announce handlers call. Every step re-checks the account's right to address the audience (an
admin may lose ADMIN_IDS, a teacher their class); a forged class or announcement id gets None, like an unknown
one. Sending stores the announcement and queues a copy for every account of the audience in one transaction."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.announce.audience import Audience, recipients
from bot.announce.drafts import Draft
from bot.announce.render import ADMIN, HOMEROOM, announcement_calls, initials
from bot.announce.rights import Announcer, announcer_for, classes_for
from bot.context import AppContext
from bot.delivery import queue
from bot.i18n import pick_locale
from bot.ui import Translator
from storage import announcements as repo
from storage import users as users_repo
from storage.announcements import Announcement, Delivery
from storage.preferences import get_preferences

log = logging.getLogger(__name__)

DAILY_LIMIT = 10  # announcements one account may send in any 24 hours
HISTORY_PER_PAGE = 5
REF_PREFIX = "ann:"


def outbox_ref(announcement_id: int) -> str:
    return f"{REF_PREFIX}{announcement_id}"


@dataclass(frozen=True, slots=True)
class Start:
    announcer: Announcer
    classes: list[str]  # the classes it may address

    @property
    def only_class(self) -> str | None:
        """A homeroom teacher of one class goes straight to choosing parents or parents and students."""
        return self.classes[0] if len(self.classes) == 1 and not self.announcer.is_admin else None


@dataclass(frozen=True, slots=True)
class Reach:
    """How many accounts each choice for a class (or the school) reaches."""

    class_name: str | None
    parents: int
    with_students: int
    can_go_back: bool


@dataclass(frozen=True, slots=True)
class Target:
    audience: Audience
    accounts: int


@dataclass(frozen=True, slots=True)
class Sent:
    announcement: Announcement
    delivery: Delivery


@dataclass(frozen=True, slots=True)
class RateLimited:
    next_allowed_at: datetime


@dataclass(frozen=True, slots=True)
class NobodyThere:
    """Nobody in the audience has joined the bot: nothing was stored."""


@dataclass(frozen=True, slots=True)
class AlreadySent:
    """This draft was sent before (a second press of «Send»)."""


@dataclass(frozen=True, slots=True)
class HistoryPage:
    entries: list[Sent]
    page: int
    pages: int


async def start(ctx: AppContext, user_id: int) -> Start | None:
    """None: this account may not send announcements. Raises ProviderError (as do the steps below)."""
    announcer = await announcer_for(ctx, user_id)
    if announcer is None:
        return None
    return Start(announcer, await classes_for(ctx, announcer))


async def reach(ctx: AppContext, user_id: int, class_field: str) -> Reach | None:
    """The two audiences of a class ("*": the school) with their sizes, when the account may address it."""
    opening = await start(ctx, user_id)
    audience = Audience.unpack(class_field, False)
    if opening is None or audience is None or not _may(opening, audience):
        return None
    parents = await recipients(ctx, audience, author_user_id=user_id)
    everyone = await recipients(ctx, Audience(audience.class_name, True), author_user_id=user_id)
    return Reach(audience.class_name, len(parents), len(everyone), can_go_back=opening.only_class is None)


async def target(ctx: AppContext, user_id: int, class_field: object, students: object) -> Target | None:
    """The audience from a button or FSM data, with its size, when the account may still address it."""
    opening = await start(ctx, user_id)
    audience = Audience.unpack(class_field, students)
    if opening is None or audience is None or not _may(opening, audience):
        return None
    return Target(audience, len(await recipients(ctx, audience, author_user_id=user_id)))


def _may(opening: Start, audience: Audience) -> bool:
    if audience.class_name is None:
        return opening.announcer.is_admin
    return audience.class_name in opening.classes  # a class the e-diary knows, and theirs to address


def sender_of(opening: Start, audience: Audience) -> tuple[str, str | None]:
    """Signed as the class's homeroom teacher when the account leads it, else as the school's administration
    (with the admin's name when the account is linked as a teacher)."""
    homeroom = opening.announcer.homerooms.get(audience.class_name or "")
    if homeroom is not None:
        return HOMEROOM, initials(homeroom.person.full_name)
    teacher = opening.announcer.teacher
    return ADMIN, initials(teacher.person.full_name) if teacher is not None else None


async def preview_sender(ctx: AppContext, user_id: int, audience: Audience) -> tuple[str, str | None] | None:
    opening = await start(ctx, user_id)
    if opening is None or not _may(opening, audience):
        return None
    return sender_of(opening, audience)


async def next_allowed_at(ctx: AppContext, user_id: int, now: datetime) -> datetime | None:
    """None when the account may send now, else when its daily limit frees a place."""
    sent = await repo.sent_since(ctx.database, user_id, now - timedelta(days=1))
    if len(sent) < DAILY_LIMIT:
        return None
    return sent[len(sent) - DAILY_LIMIT] + timedelta(days=1)


async def send(
    ctx: AppContext, user_id: int, audience: Audience, draft: Draft
) -> Sent | RateLimited | NobodyThere | AlreadySent | None:
    """None: the account may not address this audience (any more)."""
    opening = await start(ctx, user_id)
    if opening is None or not _may(opening, audience):
        return None
    accounts = await recipients(ctx, audience, author_user_id=user_id)  # the e-diary is read before the write
    if not accounts:
        return NobodyThere()
    sender_kind, sender_name = sender_of(opening, audience)
    db, now = ctx.database, ctx.clock.now()
    async with db.transaction():
        if (later := await next_allowed_at(ctx, user_id, now)) is not None:
            return RateLimited(later)
        announcement = await repo.add_announcement(
            db,
            author_user_id=user_id,
            class_name=audience.class_name,
            students_too=audience.students_too,
            sender_kind=sender_kind,
            sender_name=sender_name,
            kind=draft.kind,
            body=draft.body,
            source_chat_id=draft.source_chat_id,
            source_message_id=draft.source_message_id,
            now=now,
        )
        if announcement is None:
            return AlreadySent()
        ref = outbox_ref(announcement.id)
        for account in accounts:
            user = await users_repo.get_user(db, account)
            t = Translator(
                ctx.i18n, pick_locale(user.language if user else None, user.telegram_language if user else None)
            )
            prefs = await get_preferences(db, account)
            calls = announcement_calls(t, announcement)
            await queue.queue_calls(
                ctx, account, prefs, calls, kind="announcement", dedupe_key=f"{ref}:{account}", now=now, ref=ref
            )
        await repo.set_recipients(db, announcement.id, len(accounts))
    queue.wake(ctx)
    log.info("announcement %d queued for %d account(s)", announcement.id, len(accounts))
    stored = await repo.get_announcement(db, announcement.id)
    return Sent(stored or announcement, await repo.delivery(db, ref))


async def status(ctx: AppContext, user_id: int, announcement_id: int) -> Sent | None:
    """An announcement of this account's with its delivery now; None for anyone else's or an unknown one."""
    announcement = await repo.get_announcement(ctx.database, announcement_id)
    if announcement is None or announcement.author_user_id != user_id:
        return None
    return Sent(announcement, await repo.delivery(ctx.database, outbox_ref(announcement.id)))


async def history(ctx: AppContext, user_id: int, page: int) -> HistoryPage:
    db = ctx.database
    pages = max(1, math.ceil(await repo.count_by_author(db, user_id) / HISTORY_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    entries = [
        Sent(a, await repo.delivery(db, outbox_ref(a.id)))
        for a in await repo.by_author(db, user_id, HISTORY_PER_PAGE, page * HISTORY_PER_PAGE)
    ]
    return HistoryPage(entries, page, pages)


async def forget_announcements(ctx: AppContext, user_id: int) -> None:
    """/forget: what the account announced goes, with the copies not yet delivered."""
    deleted = await repo.forget_author(ctx.database, user_id, outbox_ref=outbox_ref)
    log.info("forgot %d announcement(s) of an account", deleted)
