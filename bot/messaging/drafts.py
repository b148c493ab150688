"""What a user may send to a teacher (or back): text, a photo or a document, within Telegram's limits."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from aiogram.types import Message

from bot.messaging.render import TEXT_LIMIT, USER_CAPTION_LIMIT

KINDS = ("text", "photo", "document")


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


def read_draft(message: Message) -> tuple[Draft | None, DraftProblem | None, int]:
    """(draft, None, 0) or (None, problem, length) — length is what was too long, for the answer."""
    where = {"source_chat_id": message.chat.id, "source_message_id": message.message_id}
    if message.text is not None:
        text = message.text.strip()
        if not text:
            return None, DraftProblem.EMPTY, 0
        if len(text) > TEXT_LIMIT:
            return None, DraftProblem.TEXT_TOO_LONG, len(text)
        return Draft("text", text, None, **where), None, 0
    if message.photo or message.document:
        caption = (message.caption or "").strip()
        if len(caption) > USER_CAPTION_LIMIT:
            return None, DraftProblem.CAPTION_TOO_LONG, len(caption)
        if message.photo:
            return Draft("photo", caption, None, **where), None, 0
        name = message.document.file_name or None  # type: ignore[union-attr]
        return Draft("document", caption, name, **where), None, 0
    return None, DraftProblem.UNSUPPORTED, 0
