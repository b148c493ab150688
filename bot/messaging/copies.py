"""One Telegram message stored in several threads: a teacher's message to a student's parents goes into each
parent's thread. The database stores a Telegram message once (that is how a repeated update is recognised), so
the k-th copy carries k above COPY_STRIDE in its stored source id; Telegram's own ids stay far below it."""

from __future__ import annotations

COPY_STRIDE = 2**40


def copy_source_id(message_id: int, number: int) -> int:
    """The stored source id of the `number`-th copy (0: the message itself)."""
    return telegram_message_id(message_id) + number * COPY_STRIDE


def telegram_message_id(stored_source_id: int) -> int:
    """The Telegram message a stored source id (of any copy) points to."""
    return stored_source_id % COPY_STRIDE
