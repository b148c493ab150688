"""Screens of /message, /inbox and a thread, in the viewer's language.

They take a `Translator` (the handler passes `Translator.current`) rather than using `_()`, because the
names and labels in them (render.py) are the same ones relayed to the other side in that person's language.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ediary.model import Student, Teacher
from bot.messaging.callbacks import (
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
from bot.messaging.drafts import Draft, draft_lines
from bot.messaging.outreach_screens import class_picker, to_parents_button
from bot.messaging.render import content_label, counterpart
from bot.messaging.service import MESSAGES_PER_PAGE, THREADS_PER_PAGE, ComposeStart, InboxPage, ThreadHistory
from bot.ui import Screen, Translator
from storage.messages import Thread, ThreadMessage

HISTORY_EXCERPT = 500  # characters of one message shown in the history; a button shows the rest


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


def cancel_button(tr: Translator) -> InlineKeyboardButton:
    return _button(tr.gettext("✖️ Cancel"), MsgDraftCb(action="cancel"))


# --- /message ------------------------------------------------------------------------------------


def compose_start(start: ComposeStart, tr: Translator) -> Screen:
    if start.students:
        if len(start.students) == 1:
            screen = teacher_picker(start.students[0], start.teachers, tr, can_go_back=False)
        else:
            screen = child_picker(start.students, tr)
        if start.teacher_classes and screen.markup is not None:  # also a teacher: their classes' parents
            rows = [*screen.markup.inline_keyboard[:-1], [to_parents_button(tr)], screen.markup.inline_keyboard[-1]]
            screen = Screen(screen.text, InlineKeyboardMarkup(inline_keyboard=rows))
        return screen
    if start.teacher_classes:
        return class_picker(start.teacher_classes, tr, family_too=False)
    if start.linked:  # a teacher of no class: families write first, the teacher answers
        return Screen(
            tr.gettext(
                "Parents and students write to you here: their messages come to this chat with a «Reply» "
                "button, and all conversations are in /inbox."
            )
        )
    return Screen(tr.gettext("To write to a teacher, first link your e-diary account: /link"))


def child_picker(students: list[Student], tr: Translator) -> Screen:
    rows = [[_button(f"{s.person.short_name} · {s.class_name}", MsgChildCb(student=s.id))] for s in students]
    return Screen(tr.gettext("✉️ Which child is your message about?"), _keyboard([*rows, [cancel_button(tr)]]))


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
    return Screen("\n".join(lines), _keyboard([*rows, [*back, cancel_button(tr)]]))


def writing_prompt(thread: Thread, tr: Translator, *, reply: bool, viewer_is_teacher: bool = False) -> Screen:
    intro = tr.gettext("↩️ Your answer to:") if reply else tr.gettext("✍️ Your message to:")
    rules = tr.gettext("Send text (up to 4096 characters), a photo or a document (caption up to 800 characters).")
    back = [] if reply else [_button(tr.gettext("⬅️ Back"), MsgChildCb(student=thread.student_id))]
    who = counterpart(thread, viewer_is_teacher=viewer_is_teacher, tr=tr)
    return Screen(f"{intro}\n{who}\n\n{rules}", _keyboard([[*back, cancel_button(tr)]]))


def preview(thread: Thread, draft: Draft, tr: Translator, *, album: bool) -> Screen:
    """The draft as it will go; `album`: it came with other photos or files, which are not part of it."""
    lines = [
        tr.gettext("<b>Check your message</b>"),
        tr.gettext("To:") + " " + counterpart(thread, viewer_is_teacher=False, tr=tr),
        "",
    ]
    lines += draft_lines(draft, tr)
    lines += ["", tr.gettext("Send it?")]
    if album:
        lines += [
            "",
            tr.gettext("Only one photo or file goes in a message: send the others one by one after this one."),
        ]
    markup = _keyboard(
        [
            [
                _button(tr.gettext("✅ Send"), MsgDraftCb(action="send")),
                _button(tr.gettext("✏️ Rewrite"), MsgDraftCb(action="edit")),
            ],
            [cancel_button(tr)],
        ]
    )
    return Screen("\n".join(lines), markup)


# --- /inbox --------------------------------------------------------------------------------------


def _snippet(message: ThreadMessage | None, tr: Translator, limit: int = 80) -> str:
    if message is None:
        return ""
    text = message.body if len(message.body) <= limit else message.body[: limit - 1] + "…"
    label = content_label(message, tr)
    return html.quote(" ".join(p for p in (label, text) if p))


def inbox_page(inbox: InboxPage | None, tr: Translator, tz: tzinfo, now: datetime) -> Screen:
    if inbox is None:
        return Screen(tr.gettext("To see conversations with teachers, first link your e-diary account: /link"))
    page, pages = inbox.page, inbox.pages
    if not inbox.entries:
        if inbox.is_teacher:
            return Screen(
                tr.gettext(
                    "📥 No conversations yet. When parents or students write to you, their messages "
                    "arrive in this chat and are kept here."
                )
            )
        return Screen(tr.gettext("📥 No conversations yet. Write to a teacher with /message."))
    lines = [tr.gettext("📥 <b>Conversations</b>")]
    if pages > 1:
        lines[0] += " " + tr.gettext("(page {page} of {pages})").format(page=page + 1, pages=pages)
    rows = []
    for number, entry in enumerate(inbox.entries, start=page * THREADS_PER_PAGE + 1):
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
    return Screen("\n".join(lines), _keyboard([*rows, nav]))


def thread_page(history: ThreadHistory, tr: Translator, tz: tzinfo, now: datetime) -> Screen:
    thread, viewer_is_teacher, messages = history.seat.thread, history.seat.as_teacher, history.messages
    page, pages, total, muted = history.page, history.pages, history.total, history.muted
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
    return Screen(
        "\n".join(lines),
        _keyboard([*rows, nav, actions, [_button(tr.gettext("📥 All conversations"), MsgInboxCb(page=0))]]),
    )
