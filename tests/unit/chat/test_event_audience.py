"""Chat events reach the members' event-stream clients only; other events reach everyone."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pbx_core.chat import ChatMessagePosted
from pbx_core.events import LineStateChanged
from pbx_core.ids import Extension
from server.events import EventHub


async def test_a_chat_event_goes_to_its_members_only() -> None:
    hub = EventHub()
    anna, bram, chris, anonymous = (
        hub._attach("201"),
        hub._attach("202"),
        hub._attach("203"),
        hub._attach(),
    )
    sent_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    hub.publish(ChatMessagePosted(7, ("201", "202"), 1, 1, "201", "hoi 👋", sent_at, "app"))
    hub.publish(LineStateChanged(Extension("201"), "busy"))

    def types(client: object) -> list[tuple[int, str]]:
        pending = client.pending  # type: ignore[attr-defined]
        messages = [json.loads(text) for text in pending]
        return [(m["seq"], m["type"]) for m in messages]

    assert types(anna) == [(1, "chat.message"), (2, "line.changed")]
    assert types(bram) == [(1, "chat.message"), (2, "line.changed")]
    assert types(chris) == [(2, "line.changed")]
    assert types(anonymous) == [(2, "line.changed")]


def test_the_chat_message_on_the_wire() -> None:
    from server.events import event_message

    sent_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    message = event_message(
        5, ChatMessagePosted(7, ("201", "202"), 3, 2, "202", "ok", sent_at, "sip")
    )
    assert message == {
        "seq": 5,
        "type": "chat.message",
        "data": {
            "conversation_id": 7,
            "members": ["201", "202"],
            "id": 3,
            "seq": 2,
            "sender": "202",
            "text": "ok",
            "sent_at": "2026-03-02T09:00:00+00:00",
            "source": "sip",
            "client_id": None,
        },
    }
