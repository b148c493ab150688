"""Builders for Telegram objects as the Bot API shapes them.

Everything is built as plain JSON-like dicts first (that is what travels over the
wire to a real bot, and what the fake API stores), then validated into aiogram
objects where a test wants them.  Also here: what Telegram does with HTML text
(plain text + entities, or a "can't parse entities" error) and keyboard lookups.
"""

from __future__ import annotations

import itertools
import json
import time
from html.parser import HTMLParser
from typing import Any

from aiogram import Bot
from aiogram.types import Message, Update

_ids = itertools.count(1)


def now() -> int:
    return int(time.time())


def user_dict(
    user_id: int,
    first_name: str = "Test",
    language_code: str | None = "ru",
    username: str | None = None,
    last_name: str | None = None,
) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def chat_dict(
    chat_id: int, chat_type: str = "private", user: dict[str, Any] | None = None, title: str | None = None
) -> dict[str, Any]:
    if chat_type == "private":
        user = user or {"first_name": "Test"}
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        if user.get("username"):
            chat["username"] = user["username"]
        return chat
    return {"id": chat_id, "type": chat_type, "title": title or "Test group"}


def message_dict(message_id: int, chat: dict[str, Any], sender: dict[str, Any], **content: Any) -> dict[str, Any]:
    """A message; `content` holds text/caption/photo/document/reply_to_message/... fields."""
    msg = {"message_id": message_id, "date": now(), "chat": chat, "from": sender}
    msg.update({key: value for key, value in content.items() if value is not None})
    return msg


def photo_sizes(file_id: str | None = None, size: int = 0) -> list[dict[str, Any]]:
    file_id = file_id or f"photo-{next(_ids)}"
    return [
        {"file_id": f"{file_id}-s", "file_unique_id": f"{file_id}-s", "width": 90, "height": 90, "file_size": size},
        {"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 800, "file_size": size},
    ]


def document_dict(
    file_name: str = "file.pdf", file_id: str | None = None, mime_type: str | None = None, size: int = 0
) -> dict[str, Any]:
    file_id = file_id or f"doc-{next(_ids)}"
    doc = {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name, "file_size": size}
    if mime_type:
        doc["mime_type"] = mime_type
    return doc


def callback_dict(
    user: dict[str, Any], message: dict[str, Any], data: str, query_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": query_id or f"cbq-{next(_ids)}",
        "from": user,
        "message": message,
        "chat_instance": str(message["chat"]["id"]),
        "data": data,
    }


def to_update(update: dict[str, Any], bot: Bot | None = None) -> Update:
    context = {"bot": bot} if bot else None
    return Update.model_validate(update, context=context)


def to_message(message: dict[str, Any], bot: Bot | None = None) -> Message:
    context = {"bot": bot} if bot else None
    return Message.model_validate(message, context=context)


def message_update(update_id: int, message: dict[str, Any], bot: Bot | None = None) -> Update:
    """An Update carrying `message` (build it with message_dict)."""
    return to_update({"update_id": update_id, "message": message}, bot)


def callback_update(update_id: int, callback: dict[str, Any], bot: Bot | None = None) -> Update:
    """An Update carrying a callback query (build it with callback_dict)."""
    return to_update({"update_id": update_id, "callback_query": callback}, bot)


def as_dict(obj: Any) -> dict[str, Any]:
    """aiogram object -> the Bot API JSON dict (aliases like "from", no None fields)."""
    if isinstance(obj, dict):
        return obj
    return obj.model_dump(mode="json", by_alias=True, exclude_none=True)


# --- keyboards -------------------------------------------------------------------------


def find_inline_button(message: Any, text: str | None = None, callback_data: str | None = None) -> dict[str, Any]:
    """The inline button of `message` with exactly this text (or a unique substring
    match), or this callback_data.  Fails the test with the list of buttons otherwise."""
    msg = as_dict(message)
    buttons = [b for row in (msg.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    labels = [(b.get("text"), b.get("callback_data")) for b in buttons]
    if callback_data is not None:
        found = [b for b in buttons if b.get("callback_data") == callback_data]
    else:
        found = [b for b in buttons if b.get("text") == text]
        if not found:
            found = [b for b in buttons if text and text in (b.get("text") or "")]
            if len(found) > 1:
                raise AssertionError(f"button {text!r} is ambiguous in message {msg['message_id']}: {labels}")
    if not found:
        wanted = f"callback_data={callback_data!r}" if callback_data is not None else repr(text)
        raise AssertionError(f"no inline button {wanted} in message {msg['message_id']}; buttons: {labels}")
    if not found[0].get("callback_data"):
        raise AssertionError(f"button {found[0].get('text')!r} has no callback_data: {found[0]}")
    return found[0]


def keyboard_texts(markup: dict[str, Any] | None) -> list[str]:
    """Texts of a reply keyboard (rows flattened); [] for none/removed."""
    rows = (markup or {}).get("keyboard", [])
    return [b if isinstance(b, str) else b["text"] for row in rows for b in row]


# --- what Telegram makes of parse_mode=HTML ---------------------------------------------


class HtmlParseError(ValueError):
    pass


_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = raw
        self.parts: list[str] = []
        self.length = 0
        self.stack: list[tuple[str, int, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def _byte_offset(self) -> int:
        line, col = self.getpos()
        index = sum(len(part) for part in self.raw.splitlines(keepends=True)[: line - 1]) + col
        return len(self.raw[:index].encode())

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in _TAGS or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}')
        self.stack.append((tag, self.length, attributes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self._byte_offset()}")
        opened, start, attrs = self.stack.pop()
        if opened != tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {self._byte_offset()}, expected "</{opened}>", found "</{tag}>"'
            )
        language = (attrs.get("class") or "").removeprefix("language-")
        if tag == "code" and language and self.stack and self.stack[-1][0] == "pre":
            self.stack[-1][2]["language"] = language  # <pre><code class="language-x"> is one pre entity
            return
        if self.length == start:
            return  # Telegram drops empty entities
        entity = {"type": _TAGS[tag], "offset": start, "length": self.length - start}
        if tag == "a":
            entity["url"] = attrs.get("href") or ""
        elif tag == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
        elif tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attrs.get("emoji-id") or ""
        self.entities.append(entity)


def render_html(raw: str) -> tuple[str, list[dict[str, Any]]]:
    """(plain text, entities) the way Telegram parses parse_mode=HTML; raises HtmlParseError."""
    parser = _TelegramHtml(raw)
    parser.feed(raw)
    parser.close()
    if parser.stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"')
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities


# --- wire params and Telegram's content rules (used by the fake API core) ---------------


class ApiError(Exception):
    """A Telegram error reply: HTTP status + the exact JSON body Telegram sends."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            self.body["parameters"] = {"retry_after": retry_after}


def param_json(params: dict[str, Any], name: str) -> Any:
    """Complex fields (reply_markup, ...) arrive as JSON strings in form data."""
    value = params.get(name)
    return json.loads(value) if isinstance(value, str) else value


def param_int(params: dict[str, Any], name: str) -> int | None:
    value = params.get(name)
    try:
        return None if value in (None, "") else int(value)
    except ValueError:  # "@channel" style ids: the fake knows no public chats
        raise ApiError(400, "Bad Request: chat not found") from None


def render_content(params: dict[str, Any], field: str, limit: int) -> dict[str, Any]:
    """{text|caption, entities} as Telegram stores them (HTML parsed), or ApiError like Telegram's."""
    raw = params.get(field)
    if raw is None:
        if field == "text":
            raise ApiError(400, "Bad Request: message text is empty")
        return {}
    entities_field = "entities" if field == "text" else "caption_entities"
    text, entities = raw, param_json(params, entities_field)
    if str(params.get("parse_mode", "")).lower() == "html":
        try:
            text, entities = render_html(raw)
        except HtmlParseError as error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
    if field == "text" and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > limit:
        raise ApiError(
            400, "Bad Request: message is too long" if field == "text" else "Bad Request: message caption is too long"
        )
    return {field: text, entities_field: entities or None}
