"""What an announcement looks like to its recipients, in each one's language: the sender named as the
e-diary names them («📢 Классный руководитель 5А Белова Е. В.»), whom it is for, then the text or the photo.

Within Telegram's limits: a text too long to go with the header follows it in parts; a caption too long to go
with the header under the photo follows the photo as a message."""

from __future__ import annotations

from aiogram import html

from bot.announce.audience import Audience
from bot.delivery.queue import Call
from bot.delivery.split import CAPTION_LIMIT, MESSAGE_LIMIT, split_message, utf16_len, visible_len
from bot.ui import Translator
from storage.announcements import Announcement

HOMEROOM, ADMIN = "homeroom", "admin"


def initials(full_name: str) -> str:
    """'Белова Елена Викторовна' -> 'Белова Е. В.' (how a school signs a notice)."""
    surname, *rest = full_name.split() or [""]
    return " ".join([surname, *(f"{part[0]}." for part in rest)])


def signature(t: Translator, sender_kind: str, sender_name: str | None, class_name: str | None) -> str:
    if sender_kind == HOMEROOM and class_name is not None and sender_name:
        return t.gettext("📢 Homeroom teacher of {class_name} {name}").format(
            class_name=html.quote(class_name), name=html.quote(sender_name)
        )
    if sender_name:
        return t.gettext("📢 School administration, {name}").format(name=html.quote(sender_name))
    return t.gettext("📢 School administration")


def addressed_to(t: Translator, audience: Audience) -> str:
    """ "To the parents of 5А" and the like."""
    if audience.class_name is None:
        if audience.students_too:
            return t.gettext("To all parents and students of the school")
        return t.gettext("To all parents of the school")
    class_name = html.quote(audience.class_name)
    if audience.students_too:
        return t.gettext("To the parents and students of {class_name}").format(class_name=class_name)
    return t.gettext("To the parents of {class_name}").format(class_name=class_name)


def header(t: Translator, announcement: Announcement) -> str:
    audience = Audience(announcement.class_name, announcement.students_too)
    sender = signature(t, announcement.sender_kind, announcement.sender_name, announcement.class_name)
    return f"<b>{sender}</b>\n<i>{addressed_to(t, audience)}</i>"


def announcement_calls(t: Translator, announcement: Announcement) -> list[Call]:
    """The outbox calls (method, payload) that show the announcement to one recipient."""
    top = header(t, announcement)
    body = html.quote(announcement.body)
    common: dict[str, object] = {"parse_mode": "HTML"}
    if announcement.kind == "photo":
        copy = {"from_chat_id": announcement.source_chat_id, "message_id": announcement.source_message_id}
        whole = f"{top}\n\n{body}" if body else top
        if visible_len(whole) <= CAPTION_LIMIT:
            return [("copy_message", {**copy, "caption": whole, **common})]
        return [("copy_message", {**copy, "caption": top, **common}), ("send_message", {"text": body, **common})]
    whole = f"{top}\n\n{body}"
    if visible_len(whole) <= MESSAGE_LIMIT:
        return [("send_message", {"text": whole, **common})]
    parts = [html.quote(p) for p in split_message(announcement.body, MESSAGE_LIMIT, measure=utf16_len)]
    return [("send_message", {"text": text, **common}) for text in (top, *parts)]
