"""Server events are typed once, at the WebSocket edge; the bus hands each to its handlers."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bus import Bus, SessionOnline
from app.presence_status import STATUSES
from app.server_events import (
    BindingRemoved,
    CallEnded,
    CallRinging,
    LineStateChanged,
    PresenceChanged,
    UserRolesChanged,
    parse_event,
)


def test_each_wire_type_becomes_its_event() -> None:
    assert parse_event(
        {
            "seq": 42,
            "type": "presence.changed",
            "data": {"extension": "202", "status": "meeting", "until": "2026-03-02T11:00:00+00:00"},
        }
    ) == PresenceChanged("202", "meeting", dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC))
    assert parse_event(
        {"type": "line.changed", "data": {"extension": "202", "state": "busy"}}
    ) == LineStateChanged("202", "busy")
    ended = {"call_id": "c", "caller": "201", "callee": "202", "answered": False}
    assert parse_event(
        {"type": "call.ended", "data": {**ended, "reason": "busy", "ended_by": None}}
    ) == CallEnded("c", "201", "202", False, "busy", None)
    ringing = {"call_id": "c", "leg_id": "l", "caller": "201", "callee": "202"}
    assert parse_event({"type": "call.ringing", "data": ringing}) == CallRinging(
        "c", "l", "201", "202"
    )
    removed = {"extension": "201", "contact": "sip:201@h", "expired": True}
    assert parse_event({"type": "binding.removed", "data": removed}) == BindingRemoved(
        "201", "sip:201@h", True
    )
    assert parse_event(
        {"type": "user.roles_changed", "data": {"extension": "203"}}
    ) == UserRolesChanged("203")


def test_unknown_types_are_not_ours() -> None:
    assert parse_event({"type": "queue.joined", "data": {}}) is None
    assert parse_event({"data": {}}) is None


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"type": "line.changed"}, "line.changed event: data must be an object"),
        (
            {"type": "line.changed", "data": {"extension": 202, "state": "busy"}},
            "line.changed event: extension must be a string",
        ),
        (
            {"type": "presence.changed", "data": {"extension": "202", "status": "asleep"}},
            "presence.changed event: status must be a presence status",
        ),
        (
            {"type": "presence.changed", "data": {"extension": "2", "status": "dnd", "until": "x"}},
            "presence.changed event: until must be an ISO-8601 time or null",
        ),
        (
            {"type": "binding.removed", "data": {"extension": "2", "contact": "c", "expired": 1}},
            "binding.removed event: expired must be true or false",
        ),
    ],
)
def test_bad_events_raise_with_exact_text(message: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=f"^{error}$"):
        parse_event(message)


def test_presence_statuses_are_the_wire_words() -> None:
    assert STATUSES == (
        "available",
        "meeting",
        "not_present",
        "vacation",
        "lunch",
        "business_trip",
        "dnd",
    )


def test_the_bus_hands_each_event_to_its_class_handlers_in_order() -> None:
    bus, seen = Bus(), []
    bus.subscribe(LineStateChanged, lambda e: seen.append(("first", e.state)))
    bus.subscribe(LineStateChanged, lambda e: seen.append(("second", e.state)))
    bus.subscribe(SessionOnline, lambda e: 1 // 0)  # a failing handler is logged only
    bus.subscribe_all((SessionOnline,), lambda e: seen.append(("online", "")))
    bus.publish(LineStateChanged("202", "busy"))
    bus.publish(SessionOnline())
    bus.publish(PresenceChanged("202", "dnd"))  # nobody listens
    assert seen == [("first", "busy"), ("second", "busy"), ("online", "")]
