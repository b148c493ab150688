"""Logging without secrets or personal data, one line per event (LOG_FORMAT text or json), each line naming
the update or the job it belongs to. No request URLs (they carry the token), no message texts, no names: the
code logs ids and counts only; the filter below is the last guard for what a library might still print."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from bot.observability import logcontext

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
# a one-time code (bot/codes), grouped or bare: 12 symbols of its look-alike-free alphabet
_CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}[-\s]?[2-9A-HJKMNP-Z]{4}[-\s]?[2-9A-HJKMNP-Z]{4}\b")


def redact(text: str) -> str:
    return _CODE.sub("<code>", _TOKEN.sub("<token>", text))


class _Context(logging.Filter):
    """Adds the update id or the job name, and redacts the message once for every formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.update_id = logcontext.update_id.get()
        record.job = logcontext.job.get()
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _where(record: logging.LogRecord) -> str:
    update_id, job = getattr(record, "update_id", None), getattr(record, "job", None)
    if update_id is not None:
        return f" [update {update_id}]"
    return f" [job {job}]" if job else ""


class TextFormatter(logging.Formatter):
    """`time LEVEL logger [update N]: message`, a traceback folded into the same line."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record)} {record.levelname} {record.name}{_where(record)}: {record.getMessage()}"
        if record.exc_info:
            line += " | " + self.formatException(record.exc_info)
        return redact(line).replace("\n", "\\n")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("update_id", "job"):
            if (value := getattr(record, key, None)) is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False))


def log_handler(log_format: str, stream: TextIO) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.addFilter(_Context())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    return handler


def setup_logging(level: str, log_format: str = "text") -> None:
    logging.basicConfig(level=level, handlers=[log_handler(log_format, sys.stderr)], force=True)
    # httpx logs every request URL at INFO; aiogram's event log names users' chats; aiohttp's access log
    # would show the webhook path; aiosqlite's debug log shows every statement's values (message texts)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
