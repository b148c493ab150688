"""Short, fixed-width keys for provider strings that travel in callback data (which is ≤ 64 bytes)."""

from __future__ import annotations

import hashlib

KEY_LENGTH = 8


def short_key(text: str) -> str:
    """8 hex characters naming a subject or period id; the server maps it back by recomputing."""
    return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]
