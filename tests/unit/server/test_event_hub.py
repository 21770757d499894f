from __future__ import annotations

import json
from datetime import UTC, datetime

from pbx_core.events import CallEnded, LineStateChanged, PresenceChanged
from pbx_core.ids import CallId, Extension
from server.events import QUEUE_SIZE, EventHub, event_message


def test_event_message_shape() -> None:
    until = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert event_message(7, PresenceChanged(Extension("201"), "meeting", until)) == {
        "seq": 7,
        "type": "presence.changed",
        "data": {"extension": "201", "status": "meeting", "until": "2026-03-02T11:00:00+00:00"},
    }
    ended = event_message(8, CallEnded(CallId("c1"), "201", "202", True, "hangup", "202"))
    assert ended["type"] == "call.ended"
    assert ended["data"] == {
        "call_id": "c1",
        "caller": "201",
        "callee": "202",
        "answered": True,
        "reason": "hangup",
        "ended_by": "202",
    }


async def test_every_event_gets_the_next_sequence_number() -> None:
    hub = EventHub()
    client = hub._attach()
    hub.publish(LineStateChanged(Extension("201"), "ringing"))
    hub.publish(LineStateChanged(Extension("201"), "busy"))
    hub._detach(client)
    hub.publish(LineStateChanged(Extension("201"), "idle"))
    received = [json.loads(text) for text in client.pending]
    assert [(m["seq"], m["data"]["state"]) for m in received] == [(1, "ringing"), (2, "busy")]
    assert hub.last_seq == 3


async def test_a_client_that_falls_behind_is_dropped_not_blocking() -> None:
    hub = EventHub()
    slow = hub._attach()
    fast = hub._attach()
    for _ in range(QUEUE_SIZE):
        hub.publish(LineStateChanged(Extension("201"), "busy"))
        fast.pending.popleft()
    hub.publish(LineStateChanged(Extension("201"), "idle"))
    assert slow.overflowed and not fast.overflowed and slow.wake.is_set()
    assert len(slow.pending) == QUEUE_SIZE, "what was queued before is still sent"
    assert json.loads(fast.pending.popleft())["seq"] == QUEUE_SIZE + 1
