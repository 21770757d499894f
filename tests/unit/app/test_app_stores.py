"""Stores: history mapping and unseen count, suggested status ends, live call bookkeeping."""

from __future__ import annotations

import datetime as dt

import pytest

from app.call_model import CallAdded, CallRemoved
from app.server_events import parse_until
from app.stores.calls import CallsStore
from app.stores.history import HistoryStore, entry_from_api
from app.stores.presence import DEFAULT_END, minutes_of, suggest_end
from sip import AccountId, CallId, CallStateChanged, IncomingCall, MediaStateChanged

ROW = {
    "id": 7,
    "call_id": "abc",
    "direction": "missed",
    "number": "203",
    "name": "Chris Peters",
    "started_at": "2026-03-02T09:03:00Z",
    "answered_at": None,
    "ended_at": "2026-03-02T09:03:20Z",
    "answered": False,
    "duration": 0,
    "reason": "cancelled",
}


def test_history_row_maps_to_an_entry() -> None:
    entry = entry_from_api(ROW, seen_ids=set())
    assert (entry.id, entry.direction, entry.number, entry.name) == (
        7,
        "missed",
        "203",
        "Chris Peters",
    )
    assert entry.started_at == dt.datetime(2026, 3, 2, 9, 3, tzinfo=dt.UTC)
    assert entry.duration_s == 0 and not entry.seen
    assert entry_from_api(ROW, seen_ids={7}).seen
    outgoing = entry_from_api({**ROW, "direction": "outgoing", "name": None, "duration": 90}, set())
    assert outgoing.seen and outgoing.name is None and outgoing.duration_s == 90
    offset = entry_from_api({**ROW, "started_at": "2026-03-02T10:03:00+01:00"}, set())
    assert offset.started_at == entry.started_at and offset.started_at.tzinfo == dt.UTC


def test_bad_history_direction_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown call direction: 'sideways'"):
        entry_from_api({**ROW, "direction": "sideways"}, set())


def test_history_store_orders_newest_first_and_counts_unseen() -> None:
    store = HistoryStore()
    changes: list[object] = []
    store.hub.subscribe(lambda published: changes.extend(sorted(published.names)))
    older = entry_from_api({**ROW, "id": 1, "started_at": "2026-03-01T08:00:00Z"}, set())
    newer = entry_from_api({**ROW, "id": 2, "direction": "incoming"}, set())
    store.set_entries([older, newer])
    assert [e.id for e in store.entries] == [2, 1]
    assert store.unseen_missed == 1 and changes == ["entries", "unseen"]
    store.set_entries([older, newer])
    assert changes == ["entries", "unseen"]


@pytest.mark.parametrize(
    ("uses", "status", "expected_minutes"),
    [
        ([], "meeting", 60),
        ([("lunch", 30)], "meeting", 60),
        ([("meeting", 90)], "meeting", 90),
        ([("meeting", 30), ("meeting", 90), ("meeting", 30)], "meeting", 30),
        # only the last five uses count: the old 120s are forgotten
        ([("meeting", 120)] * 3 + [("meeting", 45)] * 2 + [("meeting", 60)] * 3, "meeting", 60),
        # a tie goes to the most recent
        ([("lunch", 30), ("lunch", 45)], "lunch", 45),
        ([("meeting", 15), ("lunch", 30), ("meeting", 15), ("lunch", 30)], "lunch", 30),
    ],
)
def test_suggested_end(uses: list[tuple[str, int]], status: str, expected_minutes: int) -> None:
    assert suggest_end(uses, status) == dt.timedelta(minutes=expected_minutes)


def test_lengths_are_kept_in_quarter_hours() -> None:
    assert dt.timedelta(hours=1) == DEFAULT_END
    assert minutes_of(dt.timedelta(minutes=58, seconds=59)) == 60
    assert minutes_of(dt.timedelta(minutes=2)) == 15
    assert minutes_of(dt.timedelta(hours=2, minutes=8)) == 135


def test_presence_until_parses_to_utc() -> None:
    assert parse_until(None) is None
    assert parse_until("2026-03-02T11:00:00+01:00") == dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


def test_calls_store_publishes_and_idle() -> None:
    store = CallsStore(clock=lambda: 12.5)
    changes: list[object] = []
    store.hub.subscribe(lambda published: changes.extend(published.calls))
    assert store.idle
    cid = CallId("call-1")
    store.apply(CallStateChanged(cid, "calling", 0, "", "sip:202@pbx", "Bram", False))
    assert not store.idle
    store.apply(CallStateChanged(cid, "confirmed", 200, "OK", "sip:202@pbx", "Bram", False))
    store.apply(CallStateChanged(cid, "confirmed", 200, "OK", "sip:202@pbx", "Bram", False))
    store.apply(MediaStateChanged(cid, True, False, False, muted=True))
    assert store.get("call-1").connected_at == 12.5  # type: ignore[union-attr]
    store.apply(CallStateChanged(cid, "disconnected", 486, "Busy Here", "sip:202@pbx", "", False))
    assert store.idle and [type(c).__name__ for c in changes] == [
        "CallAdded",
        "CallChanged",
        "CallChanged",
        "CallChanged",
    ]
    store.apply(IncomingCall(CallId("call-2"), AccountId("a"), "sip:203@pbx", ""))
    store.dismiss("call-2")  # live: stays
    store.dismiss("call-1")
    assert [c.key for c in store.calls] == ["call-2"]
    assert changes[-2:] == [CallAdded(store.calls[0]), CallRemoved("call-1")]
