"""The outbox ref of a relayed message has one format, built and parsed in one place."""

from __future__ import annotations

from bot.messaging.refs import relay_ref, relayed_message_id


def test_a_relay_ref_names_its_message_and_nothing_else_parses_as_one() -> None:
    assert relayed_message_id(relay_ref(42)) == 42
    for other in (None, "", "msg:", "msg:4x", "msg-joined:1:2:3", "grades:42", "MSG:42"):
        assert relayed_message_id(other) is None
