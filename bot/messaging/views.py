"""Screens of /message and /inbox: text and inline keyboard, in the viewer's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_factories import (
    MsgChildCb,
    MsgDraftCb,
    MsgInboxCb,
    MsgMuteCb,
    MsgOpenCb,
    MsgReplyCb,
    MsgStartCb,
    MsgTeacherCb,
    MsgThreadCb,
)
from bot.ediary.model import Student, Teacher
from bot.messaging.drafts import Draft, DraftProblem
from bot.messaging.relay import HOURLY_LIMIT, Outcome
from bot.messaging.render import Translator, content_label, counterpart
from storage.messages import Thread, ThreadMessage

THREADS_PER_PAGE = 6
MESSAGES_PER_PAGE = 5
HISTORY_EXCERPT = 500  # characters of one message shown in the history; a button shows the rest
PREVIEW_EXCERPT = 3000  # characters of a long draft shown in its preview

Screen = tuple[str, InlineKeyboardMarkup | None]


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _keyboard(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def initials(full_name: str) -> str:
    """'Белова Елена Викторовна' -> 'Белова Е. В.'"""
    surname, *rest = full_name.split() or [""]
    return " ".join([surname, *(f"{part[0]}." for part in rest)])


def local_time(moment: datetime, tz: tzinfo, today: datetime | None = None) -> str:
    local = moment.astimezone(tz)
    if today is not None and local.date() == today.astimezone(tz).date():
        return local.strftime("%H:%M")
    return local.strftime("%d.%m %H:%M")


def when_text(moment: datetime, tz: tzinfo, now: datetime, tr: Translator) -> str:
    """ "at 07:00", "tomorrow at 07:00" or "on 28.11 at 07:00" (school time)."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return tr.gettext("at {time}").format(time=clock)
    if local.date() == today + timedelta(days=1):
        return tr.gettext("tomorrow at {time}").format(time=clock)
    return tr.gettext("on {date} at {time}").format(date=local.strftime("%d.%m"), time=clock)


def cancel_button(tr: Translator) -> InlineKeyboardButton:
    return _button(tr.gettext("✖️ Cancel"), MsgDraftCb(action="cancel"))


# --- /message ------------------------------------------------------------------------------------


def child_picker(students: list[Student], tr: Translator) -> Screen:
    rows = [[_button(f"{s.person.short_name} · {s.class_name}", MsgChildCb(student=s.id))] for s in students]
    return tr.gettext("✉️ Which child is your message about?"), _keyboard([*rows, [cancel_button(tr)]])


def teacher_picker(student: Student, teachers: list[Teacher], tr: Translator, *, can_go_back: bool) -> Screen:
    lines = [
        tr.gettext("✉️ Whom do you want to write to about {student}, class {class_name}?").format(
            student=html.quote(student.person.full_name), class_name=html.quote(student.class_name)
        ),
        "",
    ]
    rows = []
    for teacher in teachers:
        subjects = ", ".join(teacher.subjects)
        line = f"• <b>{html.quote(teacher.person.full_name)}</b> — {html.quote(subjects)}"
        label = f"{initials(teacher.person.full_name)} · {subjects}"
        if teacher.homeroom_class == student.class_name:
            line += ", " + tr.gettext("homeroom teacher")
            label = "⭐ " + label
        lines.append(line)
        rows.append([_button(label, MsgTeacherCb(student=student.id, teacher=teacher.id))])
    if not teachers:
        lines.append(tr.gettext("The e-diary lists no teachers for this class yet."))
    back = [_button(tr.gettext("⬅️ Back"), MsgStartCb())] if can_go_back else []
    return "\n".join(lines), _keyboard([*rows, [*back, cancel_button(tr)]])


def writing_prompt(thread: Thread, tr: Translator, *, reply: bool, viewer_is_teacher: bool = False) -> Screen:
    intro = tr.gettext("↩️ Your answer to:") if reply else tr.gettext("✍️ Your message to:")
    rules = tr.gettext("Send text (up to 4096 characters), a photo or a document (caption up to 800 characters).")
    back = [] if reply else [_button(tr.gettext("⬅️ Back"), MsgChildCb(student=thread.student_id))]
    who = counterpart(thread, viewer_is_teacher=viewer_is_teacher, tr=tr)
    return f"{intro}\n{who}\n\n{rules}", _keyboard([[*back, cancel_button(tr)]])


def preview(thread: Thread, draft: Draft, tr: Translator) -> Screen:
    lines = [
        tr.gettext("<b>Check your message</b>"),
        tr.gettext("To:") + " " + counterpart(thread, viewer_is_teacher=False, tr=tr),
        "",
    ]
    if draft.kind != "text":
        lines.append(content_label(_as_message(draft), tr))
    if len(draft.body) > PREVIEW_EXCERPT:  # the preview must fit one Telegram message beside its header
        lines.append(html.quote(draft.body[:PREVIEW_EXCERPT]) + "…")
        lines.append(
            tr.gettext("(shortened here: the whole text of {n} characters will be sent)").format(n=len(draft.body))
        )
    elif draft.body:
        lines.append(html.quote(draft.body))
    lines += ["", tr.gettext("Send it?")]
    markup = _keyboard(
        [
            [
                _button(tr.gettext("✅ Send"), MsgDraftCb(action="send")),
                _button(tr.gettext("✏️ Rewrite"), MsgDraftCb(action="edit")),
            ],
            [cancel_button(tr)],
        ]
    )
    return "\n".join(lines), markup


def _as_message(draft: Draft) -> ThreadMessage:
    return ThreadMessage(
        0,
        0,
        False,
        0,
        draft.kind,
        draft.body,
        draft.file_name,
        draft.source_chat_id,
        draft.source_message_id,
        datetime.min,
        False,
        None,
    )


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


# --- /inbox --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboxEntry:
    thread: Thread
    viewer_is_teacher: bool
    unread: int
    muted: bool
    last: ThreadMessage | None


def _snippet(message: ThreadMessage | None, tr: Translator, limit: int = 80) -> str:
    if message is None:
        return ""
    text = message.body if len(message.body) <= limit else message.body[: limit - 1] + "…"
    label = content_label(message, tr)
    return html.quote(" ".join(p for p in (label, text) if p))


def inbox_page(
    entries: list[InboxEntry], page: int, pages: int, *, is_teacher: bool, tr: Translator, tz: tzinfo, now: datetime
) -> Screen:
    if not entries:
        if is_teacher:
            return tr.gettext(
                "📥 No conversations yet. When parents or students write to you, their messages "
                "arrive in this chat and are kept here."
            ), None
        return tr.gettext("📥 No conversations yet. Write to a teacher with /message."), None
    lines = [tr.gettext("📥 <b>Conversations</b>")]
    if pages > 1:
        lines[0] += " " + tr.gettext("(page {page} of {pages})").format(page=page + 1, pages=pages)
    rows = []
    for number, entry in enumerate(entries, start=page * THREADS_PER_PAGE + 1):
        thread = entry.thread
        who = counterpart(thread, viewer_is_teacher=entry.viewer_is_teacher, tr=tr).replace("\n", ", ")
        lines.append("")
        line = f"{number}. {who}"
        if entry.unread:
            line += " — 🔴 " + tr.ngettext("{n} new message", "{n} new messages", entry.unread).format(n=entry.unread)
        if entry.muted:
            line += " 🔕"
        lines.append(line)
        if entry.last is not None:
            mine = entry.last.from_teacher == entry.viewer_is_teacher
            author = (
                tr.gettext("You")
                if mine
                else initials(thread.teacher_name if entry.last.from_teacher else thread.sender_name)
            )
            lines.append(
                f"<i>{local_time(entry.last.created_at, tz, now)}, {html.quote(author)}:</i> {_snippet(entry.last, tr)}"
            )
        name = thread.sender_name if entry.viewer_is_teacher else thread.teacher_name
        label = f"{number}. {initials(name)}"
        if entry.viewer_is_teacher or thread.sender_role == "parent":
            label += f" · {thread.student_name.split()[0]} {thread.class_name}"
        if entry.unread:
            label = f"🔴 {entry.unread} · {label}"
        rows.append([_button(label, MsgThreadCb(thread_id=thread.id, page=0))])
    nav = []
    if page > 0:
        nav.append(_button(tr.gettext("⬅️ Previous"), MsgInboxCb(page=page - 1)))
    if page + 1 < pages:
        nav.append(_button(tr.gettext("Next ➡️"), MsgInboxCb(page=page + 1)))
    return "\n".join(lines), _keyboard([*rows, nav])


def thread_page(
    thread: Thread,
    messages: list[ThreadMessage],
    *,
    page: int,
    pages: int,
    total: int,
    viewer_is_teacher: bool,
    muted: bool,
    tr: Translator,
    tz: tzinfo,
    now: datetime,
) -> Screen:
    lines = ["💬 " + counterpart(thread, viewer_is_teacher=viewer_is_teacher, tr=tr)]
    if muted:
        lines.append(
            tr.gettext(
                "🔕 Muted: new messages here are kept in /inbox with an unread count, but I do "
                "not send them to your chat. The sender is not told."
            )
        )
    first = total - page * MESSAGES_PER_PAGE - len(messages) + 1
    lines += [
        "",
        tr.gettext("Messages {first}–{last} of {total}:").format(
            first=first, last=first + len(messages) - 1, total=total
        ),
    ]
    openers = []
    for message in messages:
        mine = message.from_teacher == viewer_is_teacher
        author = tr.gettext("You") if mine else (thread.teacher_name if message.from_teacher else thread.sender_name)
        lines += ["", f"<b>{html.quote(author)}</b> · {local_time(message.created_at, tz, now)}"]
        label = content_label(message, tr)
        body = message.body
        if len(body) > HISTORY_EXCERPT:
            body = body[: HISTORY_EXCERPT - 1] + "…"
        lines.append(" ".join(p for p in (label, html.quote(body)) if p))
        if label or body != message.body:  # a photo, a document or a long text: a button shows it whole
            icon = {"photo": "📷", "document": "📎"}.get(message.kind, "📄")
            openers.append(
                _button(f"{icon} {local_time(message.created_at, tz, now)}", MsgOpenCb(message_id=message.id))
            )
    nav = []
    if page + 1 < pages:
        nav.append(_button(tr.gettext("⬅️ Earlier"), MsgThreadCb(thread_id=thread.id, page=page + 1)))
    if page > 0:
        nav.append(_button(tr.gettext("Later ➡️"), MsgThreadCb(thread_id=thread.id, page=page - 1)))
    actions = [_button(tr.gettext("↩️ Reply"), MsgReplyCb(thread_id=thread.id))]
    if viewer_is_teacher:
        actions.append(
            _button(
                tr.gettext("🔔 Unmute") if muted else tr.gettext("🔕 Mute"),
                MsgMuteCb(thread_id=thread.id, mute=not muted),
            )
        )
    rows = [openers[i : i + 3] for i in range(0, len(openers), 3)]
    return "\n".join(lines), _keyboard(
        [*rows, nav, actions, [_button(tr.gettext("📥 All conversations"), MsgInboxCb(page=0))]]
    )


def problem_text(problem: DraftProblem, length: int, tr: Translator) -> str:
    if problem == DraftProblem.TEXT_TOO_LONG:
        return tr.gettext(
            "Your message is {n} characters long, and the limit is 4096. Please shorten it or split "
            "it into two messages: nothing has been sent."
        ).format(n=length)
    if problem == DraftProblem.CAPTION_TOO_LONG:
        return tr.gettext(
            "The caption is {n} characters long, and a caption may be up to 800. Please shorten "
            "it, or send the text as a separate message."
        ).format(n=length)
    if problem == DraftProblem.EMPTY:
        return tr.gettext("The message is empty. Please write some text.")
    return tr.gettext(
        "I can pass on text, photos and documents only. Please write your message, or attach the file as a document."
    )
