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


async def test_voicemail_events_go_to_the_mailbox_readers_only() -> None:
    from pbx_core.events import VoicemailCountsChanged, VoicemailMessageAdded

    hub = EventHub()
    anna, bram, chris = hub._attach("201"), hub._attach("202"), hub._attach("203")
    at = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    hub.publish(VoicemailMessageAdded(1, "201", "0612345678", None, at, 4.0, "personal"))
    group = ("202", "203")  # a group inbox: its department's members
    hub.publish(VoicemailMessageAdded(2, "9102", "0612345678", None, at, 4.0, "Support", group))
    hub.publish(VoicemailCountsChanged(Extension("202"), 1, 0))

    def seen(client: object) -> list[tuple[str, object]]:
        pending = client.pending  # type: ignore[attr-defined]
        return [(m["type"], m["data"].get("id")) for m in map(json.loads, pending)]

    assert seen(anna) == [("voicemail.new", 1)]
    assert seen(bram) == [("voicemail.new", 2), ("voicemail.counts", None)]
    assert seen(chris) == [("voicemail.new", 2)]
    assert "readers" not in json.loads(bram.pending[0])["data"], "who reads stays inside"


async def test_a_returning_client_gets_what_it_missed_then_live_events() -> None:
    from pbx_core.events import VoicemailMessageAdded

    hub = EventHub(buffer_size=10, epoch="e1")
    at = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    hub.publish(LineStateChanged(Extension("202"), "ringing"))  # 1: seen before the blip
    hub.publish(LineStateChanged(Extension("202"), "busy"))  # 2
    hub.publish(VoicemailMessageAdded(1, "203", "0612345678", None, at, 4.0, "personal"))  # 3
    hub.publish(LineStateChanged(Extension("202"), "idle"))  # 4
    back = hub._attach("201", since=1, epoch="e1")
    hub.publish(LineStateChanged(Extension("202"), "ringing"))  # 5: live
    assert [json.loads(t)["seq"] for t in back.backlog] == [2, 4], "not 203's voicemail"
    assert [json.loads(t)["seq"] for t in back.pending] == [5]
    assert back.wake.is_set()


async def test_a_client_too_far_behind_is_told_to_resync() -> None:
    hub = EventHub(buffer_size=2, epoch="e1")
    for state in ("ringing", "busy", "idle"):
        hub.publish(LineStateChanged(Extension("202"), state))
    late = hub._attach("201", since=0)
    restarted = hub._attach("201", since=7)
    assert [json.loads(t) for t in late.backlog] == [
        {"seq": 3, "type": "resync", "data": {"reason": "too old", "epoch": "e1"}}
    ]
    assert json.loads(restarted.backlog[0])["data"]["reason"] == "server restarted"
    assert not hub._attach("201").backlog, "without since: live events only"
