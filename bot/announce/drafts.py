"""What an announcement may be: a text, or a photo with a caption, within Telegram's limits. A photo stays in
the author's chat and is copied to each recipient (copyMessage), so the bot keeps no file."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from aiogram.types import Message

from bot.delivery.split import CAPTION_LIMIT, MESSAGE_LIMIT

KINDS = ("text", "photo")


class DraftProblem(StrEnum):
    TEXT_TOO_LONG = "text_too_long"
    CAPTION_TOO_LONG = "caption_too_long"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class Draft:
    kind: str
    body: str  # the text, or the caption ("" for none)
    source_chat_id: int
    source_message_id: int

    def as_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: Any) -> Draft | None:
        """From FSM data (it survives restarts); None when missing or malformed."""
        try:
            draft = cls(
                str(data["kind"]), str(data["body"]), int(data["source_chat_id"]), int(data["source_message_id"])
            )
        except (KeyError, TypeError, ValueError):
            return None
        return draft if draft.kind in KINDS else None


@dataclass(frozen=True, slots=True)
class Refused:
    problem: DraftProblem
    length: int = 0


def read_draft(message: Message) -> Draft | Refused:
    where = {"source_chat_id": message.chat.id, "source_message_id": message.message_id}
    if message.text is not None:
        text = message.text.strip()
        if not text:
            return Refused(DraftProblem.EMPTY)
        if len(text) > MESSAGE_LIMIT:
            return Refused(DraftProblem.TEXT_TOO_LONG, len(text))
        return Draft("text", text, **where)
    if not message.photo:
        return Refused(DraftProblem.UNSUPPORTED)
    caption = (message.caption or "").strip()
    if len(caption) > CAPTION_LIMIT:
        return Refused(DraftProblem.CAPTION_TOO_LONG, len(caption))
    return Draft("photo", caption, **where)
