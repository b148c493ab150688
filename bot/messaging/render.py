"""What relayed messages look like, in the recipient's language (jobs and listeners have no `_()`).

Only e-diary names appear: never a Telegram name, username, phone or id.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot, html
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.delivery.queue import Call
from bot.delivery.split import CAPTION_LIMIT, MESSAGE_LIMIT, shorten, split_message, utf16_len, visible_len
from bot.ediary.model import Sex
from bot.messaging.callbacks import MsgReplyCb, MsgThreadCb
from bot.messaging.copies import telegram_message_id
from bot.ui import Translator
from storage.messages import Thread, ThreadMessage

TEXT_LIMIT = MESSAGE_LIMIT  # Telegram's limit for a message, and ours for what a user writes
USER_CAPTION_LIMIT = 800  # what a user may write under a photo or document: leaves room for the header


# --- who is who ------------------------------------------------------------------------------------


def family_relation(thread: Thread, tr: Translator) -> str:
    """How the family-side sender relates to the student, e.g. "parent of Иванов Артём, 5А", in the words that fit
    the student's sex (Russian «ученика»/«ученицы»; neutral when the e-diary does not say)."""
    class_name = html.quote(thread.class_name)
    if thread.sender_role == "student":
        if thread.student_sex == Sex.MALE:
            return tr.gettext("student [he], class {class_name}").format(class_name=class_name)
        if thread.student_sex == Sex.FEMALE:
            return tr.gettext("student [she], class {class_name}").format(class_name=class_name)
        return tr.gettext("student, class {class_name}").format(class_name=class_name)
    student = html.quote(thread.student_name)
    if thread.student_sex == Sex.MALE:
        text = tr.gettext("parent of {student} [he], class {class_name}")
    elif thread.student_sex == Sex.FEMALE:
        text = tr.gettext("parent of {student} [she], class {class_name}")
    else:
        text = tr.gettext("parent of {student}, class {class_name}")
    return text.format(student=student, class_name=class_name)


def teacher_title(thread: Thread, tr: Translator) -> str:
    if not thread.teacher_subjects:
        return tr.gettext("teacher")
    return tr.gettext("teacher: {subjects}").format(subjects=html.quote(", ".join(thread.teacher_subjects)))


def about_student(thread: Thread, tr: Translator) -> str:
    return tr.gettext("about {student}, class {class_name}").format(
        student=html.quote(thread.student_name), class_name=html.quote(thread.class_name)
    )


def counterpart(thread: Thread, *, viewer_is_teacher: bool, tr: Translator) -> str:
    """The other side of the thread as a viewer sees it (one line, HTML)."""
    if viewer_is_teacher:
        return f"<b>{html.quote(thread.sender_name)}</b>, {family_relation(thread, tr)}"
    line = f"<b>{html.quote(thread.teacher_name)}</b>, {teacher_title(thread, tr)}"
    if thread.sender_role == "parent":
        line += f"\n{about_student(thread, tr)}"
    return line


def content_label(message: ThreadMessage, tr: Translator) -> str:
    if message.kind == "photo":
        return tr.gettext("📷 Photo")
    if message.kind == "document":
        return tr.gettext("📎 Document «{name}»").format(name=html.quote(message.file_name or "?"))
    return ""


# --- relayed messages ------------------------------------------------------------------------------


def relay_keyboard(thread_id: int, tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=tr.gettext("↩️ Reply"), callback_data=MsgReplyCb(thread_id=thread_id).pack()),
                InlineKeyboardButton(
                    text=tr.gettext("💬 Conversation"),
                    callback_data=MsgThreadCb(thread_id=thread_id, page=0, fresh=True).pack(),
                ),
            ]
        ]
    )


def relay_calls(message: ThreadMessage, thread: Thread, tr: Translator, *, silent: bool = False) -> list[Call]:
    """The outbox calls (method, payload) that show `message` to someone on the other side."""
    header = "✉️ " + counterpart(thread, viewer_is_teacher=not message.from_teacher, tr=tr)
    markup = relay_keyboard(thread.id, tr).model_dump(exclude_none=True)
    common: dict[str, object] = {"parse_mode": "HTML"}
    if silent:
        common["disable_notification"] = True
    if message.kind != "text":
        caption = f"{header}\n{content_label(message, tr)}"
        if message.body:
            room = CAPTION_LIMIT - visible_len(caption) - 2
            caption += f"\n\n{html.quote(shorten(message.body, room, measure=utf16_len))}"
        payload = {
            "from_chat_id": message.source_chat_id,
            "message_id": telegram_message_id(message.source_message_id),
            "caption": caption,
            "reply_markup": markup,
            **common,
        }
        return [("copy_message", payload)]
    hint = "<i>" + tr.gettext("Reply to this message to answer, or press «Reply».") + "</i>"
    for candidate in (f"{header}\n\n{html.quote(message.body)}\n\n{hint}", f"{header}\n\n{html.quote(message.body)}"):
        if visible_len(candidate) <= TEXT_LIMIT:
            return [("send_message", {"text": candidate, "reply_markup": markup, **common})]
    # a long text does not fit beside the header: the header first, then the text in Telegram-sized parts
    parts = [header] + [html.quote(p) for p in split_message(message.body, TEXT_LIMIT, measure=utf16_len)]
    calls: list[Call] = [("send_message", {"text": part, **common}) for part in parts]
    calls[-1][1]["reply_markup"] = markup
    return calls


async def send_now(bot: Bot, chat_id: int, calls: Sequence[Call]) -> None:
    """Make the calls at once, bypassing the outbox (a message of the history opened by its reader)."""
    for method, payload in calls:
        arguments = dict(payload)
        if "reply_markup" in arguments:
            arguments["reply_markup"] = InlineKeyboardMarkup.model_validate(arguments["reply_markup"])
        if method == "copy_message":
            await bot.copy_message(chat_id=chat_id, **arguments)
        else:
            await bot.send_message(chat_id=chat_id, **arguments)
