"""What a user may send to a teacher (or back): text, a photo or a document, within Telegram's limits; and how a
draft reads in its preview."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from aiogram import html
from aiogram.types import Message

from bot.messaging.copies import copy_source_id
from bot.messaging.render import TEXT_LIMIT, USER_CAPTION_LIMIT, content_label
from bot.ui import Translator
from storage.messages import ThreadMessage

KINDS = ("text", "photo", "document")
PREVIEW_EXCERPT = 3000  # characters of a long draft shown in its preview


class DraftProblem(StrEnum):
    TEXT_TOO_LONG = "text_too_long"
    CAPTION_TOO_LONG = "caption_too_long"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class Draft:
    """A message as written; media stay in the user's chat and are relayed with copyMessage."""

    kind: str
    body: str
    file_name: str | None
    source_chat_id: int
    source_message_id: int

    def as_data(self) -> dict[str, Any]:
        return asdict(self)

    def copy(self, number: int) -> Draft:
        """The same draft as the `number`-th copy (0: the draft itself), stored apart from the others."""
        return replace(self, source_message_id=copy_source_id(self.source_message_id, number))

    @classmethod
    def from_data(cls, data: Any) -> Draft | None:
        """From FSM data (it survives restarts); None when missing or malformed."""
        try:
            draft = cls(
                str(data["kind"]),
                str(data["body"]),
                data.get("file_name"),
                int(data["source_chat_id"]),
                int(data["source_message_id"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        return draft if draft.kind in KINDS else None


@dataclass(frozen=True, slots=True)
class Refused:
    """What was wrong with a message sent as a draft; `length` is what was too long, for the answer."""

    problem: DraftProblem
    length: int = 0


def read_draft(message: Message) -> Draft | Refused:
    where = {"source_chat_id": message.chat.id, "source_message_id": message.message_id}
    if message.text is not None:
        text = message.text.strip()
        if not text:
            return Refused(DraftProblem.EMPTY)
        if len(text) > TEXT_LIMIT:
            return Refused(DraftProblem.TEXT_TOO_LONG, len(text))
        return Draft("text", text, None, **where)
    if not message.photo and message.document is None:
        return Refused(DraftProblem.UNSUPPORTED)
    caption = (message.caption or "").strip()
    if len(caption) > USER_CAPTION_LIMIT:
        return Refused(DraftProblem.CAPTION_TOO_LONG, len(caption))
    if message.photo:
        return Draft("photo", caption, None, **where)
    name = message.document.file_name if message.document is not None else None
    return Draft("document", caption, name or None, **where)


def draft_lines(draft: Draft, tr: Translator) -> list[str]:
    """A draft as its preview shows it: what is attached, and the text (shortened when long)."""
    lines = []
    if draft.kind != "text":
        lines.append(content_label(_as_message(draft), tr))
    if len(draft.body) > PREVIEW_EXCERPT:  # the preview must fit one Telegram message beside its header
        lines.append(html.quote(draft.body[:PREVIEW_EXCERPT]) + "…")
        lines.append(
            tr.gettext("(shortened here: the whole text of {n} characters will be sent)").format(n=len(draft.body))
        )
    elif draft.body:
        lines.append(html.quote(draft.body))
    return lines


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
