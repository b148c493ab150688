"""The outbox `ref` of a relayed message, "msg:<id>": the outbox item that delivered a message tells which
message a Telegram reply answers, and /forget finds the relays of a message still waiting to be sent."""

from __future__ import annotations

_PREFIX = "msg:"


def relay_ref(message_id: int) -> str:
    return f"{_PREFIX}{message_id}"


def relayed_message_id(ref: str | None) -> int | None:
    """The stored message an outbox item relayed; None for any other item."""
    if ref is None or not ref.startswith(_PREFIX):
        return None
    number = ref.removeprefix(_PREFIX)
    return int(number) if number.isdigit() else None
