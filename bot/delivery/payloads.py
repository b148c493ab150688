"""Turn an outbox item into the aiogram Bot call it describes, checking its payload first.

Payloads (JSON, every Bot API argument except chat_id):
- send_message:  text; optional parse_mode, reply_markup (dict), reply_to_message_id, disable_notification
- copy_message:  from_chat_id, message_id; optional caption, parse_mode, reply_markup, reply_to_message_id,
                 disable_notification
- send_document: document (a file path; relative paths are in the data directory) or document_base64 with
                 filename; optional filename, caption, parse_mode, reply_markup, reply_to_message_id,
                 disable_notification
A missing parse_mode means the bot's default (HTML); an explicit null sends plain text.

Each call has its own timeout, well below the Bot session's 60 s: a hung request holds only its chat, and
only briefly, and is retried like a network error.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    FSInputFile,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    TelegramObject,
)
from pydantic import ValidationError

from storage.outbox import OutboxItem


class PayloadError(ValueError):
    """The item cannot be sent as queued (a bug in whoever queued it): it fails without a retry."""


REQUEST_TIMEOUT = 15  # seconds: Telegram answers a message or a copy in well under a second
UPLOAD_TIMEOUT = 60  # a document is uploaded within the request

_OPTIONAL_COMMON = {"parse_mode", "reply_markup", "reply_to_message_id", "disable_notification"}
_FIELDS = {
    "send_message": ({"text"}, _OPTIONAL_COMMON),
    "copy_message": ({"from_chat_id", "message_id"}, _OPTIONAL_COMMON | {"caption"}),
    "send_document": (set(), _OPTIONAL_COMMON | {"document", "document_base64", "filename", "caption"}),
}
_MARKUPS: dict[str, type[TelegramObject]] = {
    "inline_keyboard": InlineKeyboardMarkup,
    "keyboard": ReplyKeyboardMarkup,
    "remove_keyboard": ReplyKeyboardRemove,
    "force_reply": ForceReply,
}


async def send_item(bot: Bot, item: OutboxItem, data_dir: Path, *, timeout: int = REQUEST_TIMEOUT) -> int:
    """Make the Bot API call (given up after `timeout` seconds, an upload after UPLOAD_TIMEOUT); returns the id
    of the message it produced in the chat."""
    args = build_arguments(item, data_dir)
    if item.method == "send_message":
        return (await bot.send_message(chat_id=item.chat_id, **args, request_timeout=timeout)).message_id
    if item.method == "copy_message":  # answered with a MessageId, not a Message
        return (await bot.copy_message(chat_id=item.chat_id, **args, request_timeout=timeout)).message_id
    upload_timeout = max(timeout, UPLOAD_TIMEOUT)
    return (await bot.send_document(chat_id=item.chat_id, **args, request_timeout=upload_timeout)).message_id


def build_arguments(item: OutboxItem, data_dir: Path) -> dict[str, Any]:
    if item.method not in _FIELDS or not isinstance(item.payload, dict):
        raise PayloadError(f"unknown method {item.method!r}")
    payload = item.payload
    required, optional = _FIELDS[item.method]
    missing, unknown = required - payload.keys(), payload.keys() - required - optional
    if missing or unknown:
        raise PayloadError(f"payload fields missing {sorted(missing)} or unknown {sorted(unknown)}")
    args: dict[str, Any] = {}
    for name, check in _CHECKS.items():
        if name in payload:
            if not check(payload[name]):
                raise PayloadError(f"payload field {name!r} has the wrong type")
            args[name] = payload[name]
    if "reply_markup" in args:
        args["reply_markup"] = _markup(args["reply_markup"])
    if "reply_to_message_id" in args:  # the original may be gone by now: send anyway, as a plain message
        args["reply_parameters"] = ReplyParameters(
            message_id=args.pop("reply_to_message_id"), allow_sending_without_reply=True
        )
    if item.method == "send_document":
        args["document"] = _document(args, data_dir)
        args.pop("document_base64", None)
        args.pop("filename", None)
    return args


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


_CHECKS: dict[str, Callable[[object], bool]] = {
    "text": _is_text,
    "from_chat_id": _is_int,
    "message_id": _is_int,
    "caption": lambda v: v is None or isinstance(v, str),
    "parse_mode": lambda v: v is None or v in ("HTML", "MarkdownV2", "Markdown"),
    "reply_markup": lambda v: isinstance(v, dict),
    "reply_to_message_id": _is_int,
    "disable_notification": lambda v: isinstance(v, bool),
    "document": _is_text,
    "document_base64": lambda v: isinstance(v, str),
    "filename": _is_text,
}


def _markup(value: dict[str, Any]) -> TelegramObject:
    kind = next((cls for key, cls in _MARKUPS.items() if key in value), None)
    if kind is None:
        raise PayloadError("reply_markup is not a keyboard")
    try:
        return kind.model_validate(value)
    except ValidationError:
        raise PayloadError("reply_markup is not a valid keyboard") from None


def _document(args: dict[str, Any], data_dir: Path) -> InputFile:
    filename = args.get("filename")
    if ("document" in args) == ("document_base64" in args):
        raise PayloadError("send_document needs exactly one of document (a path) and document_base64")
    if "document_base64" in args:
        if not filename:
            raise PayloadError("document_base64 needs a filename")
        try:
            data = base64.b64decode(args["document_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise PayloadError("document_base64 is not base64") from None
        return BufferedInputFile(data, filename=filename)
    path = Path(args["document"])
    if not path.is_absolute():
        path = data_dir / path
    if not path.is_file():
        raise PayloadError("the document file no longer exists")
    return FSInputFile(path, filename=filename)
