"""Logging without secrets or personal data: no request URLs (they carry the token), no message texts."""

from __future__ import annotations

import logging


class _RedactToken(logging.Filter):
    """Belt and braces: a token-shaped string never reaches the log."""

    import re

    _TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._TOKEN.search(message):
            record.msg = self._TOKEN.sub("<token>", message)
            record.args = ()
        return True


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_RedactToken())
    # httpx logs every request URL at INFO; aiogram's event log names users' chats
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
