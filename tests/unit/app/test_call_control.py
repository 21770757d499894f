"""Call control in the call model: transfer, park, consult and swap, conference, quality."""

from __future__ import annotations

import datetime as dt

import pytest

from app.call_control import (
    TRANSFER_TRANSITIONS,
    Quality,
    next_transfer_state,
    pickup_code,
)
from app.call_model import CallChanged, CallModel, CallModelError
from app.server_events import CallParked, CallUnparked, parse_event
from app.stores.calls import CallsStore
from app.stores.parked import ParkedCall, ParkedStore
from sip import (
    AccountId,
    CallId,
    CallQuality,
    CallState,
    CallStateChanged,
    ConferenceChanged,
    IncomingCall,
    MediaStateChanged,
    TransferProgress,
    TransferStage,
)

ACC = AccountId("account-1")


def state(key: str, s: CallState, code: int = 200, uri: str = "sip:202@pbx") -> CallStateChanged:
    return CallStateChanged(CallId(key), s, code, "", uri, "", False)


def progress(key: str, stage: TransferStage, code: int = 100) -> TransferProgress:
    return TransferProgress(CallId(key), stage, code, "")


def held(key: str, on: bool = True) -> MediaStateChanged:
    return MediaStateChanged(CallId(key), not on, on, False, False)


def connected(model: CallModel, key: str, uri: str = "sip:202@pbx") -> None:
    model.apply(state(key, "calling", 0, uri), now=0.0)
    model.apply(state(key, "confirmed", uri=uri), now=1.0)


def test_blind_transfer_moves_only_on_progress_and_ends_with_the_bye() -> None:
    model = CallModel()
    connected(model, "c1")
    noted = model.note_transfer("c1", "blind")
    assert isinstance(noted, CallChanged) and noted.call.transfer is None  # nothing shown yet
    change = model.apply(progress("c1", "trying"), now=2.0)
    assert isinstance(change, CallChanged) and change.call.transfer == "transferring"
    model.apply(progress("c1", "succeeded", 200), now=3.0)
    call = model.get("c1")
    assert call is not None and (call.transfer, call.transfer_code) == ("transferred", 200)
    ended = model.apply(state("c1", "disconnected"), now=4.0)
    assert isinstance(ended, CallChanged) and ended.ended and ended.call.transfer_kind == "blind"


def test_a_failed_transfer_keeps_the_call_and_may_be_tried_again() -> None:
    model = CallModel()
    connected(model, "c1")
    model.note_transfer("c1", "park")
    model.apply(progress("c1", "trying"), now=2.0)
    model.apply(progress("c1", "failed", 503), now=3.0)
    call = model.get("c1")
    assert call is not None and call.state == "connected"
    assert (call.transfer, call.transfer_code, call.transfer_kind) == ("failed", 503, "park")
    model.apply(progress("c1", "trying"), now=4.0)
    assert model.get("c1").transfer == "transferring"  # type: ignore[union-attr]


def test_transfer_table_and_illegal_moves() -> None:
    assert next_transfer_state(None, "accepted") == "transferring"
    assert set(TRANSFER_TRANSITIONS) == {None, "transferring", "failed", "transferred"}
    with pytest.raises(ValueError, match="no transfer transition from 'transferred' on 'trying'"):
        next_transfer_state("transferred", "trying")
    model = CallModel()
    connected(model, "c1")
    model.apply(progress("c1", "succeeded", 200), now=1.0)
    with pytest.raises(CallModelError, match="call 'c1': no transfer transition"):
        model.apply(progress("c1", "failed", 500), now=2.0)


def test_consult_swap_and_complete_from_either_window() -> None:
    model = CallModel({"202": "Bram", "203": "Chris"}.get)
    connected(model, "c1")
    model.apply(held("c1"), now=2.0)
    changes = model.link_consult("c1", "c2")  # the consult call is not listed yet
    assert [c.call.consult_role for c in changes if isinstance(c, CallChanged)] == ["original"]
    connected(model, "c2", uri="sip:203@pbx")
    consult = model.get("c2")
    assert consult is not None and (consult.consult_role, consult.consult_with) == ("consult", "c1")
    # swap: the consult call goes on hold, the original resumes (two media events)
    model.apply(held("c2"), now=3.0)
    model.apply(held("c1", False), now=3.1)
    assert model.get("c1").state == "connected" and model.get("c2").held  # type: ignore[union-attr]
    pair_from_consult = model.consult_pair("c2")
    pair_from_original = model.consult_pair("c1")
    assert pair_from_consult is not None and pair_from_original is not None
    assert [c.key for c in pair_from_consult] == [c.key for c in pair_from_original] == ["c1", "c2"]
    # the PBX ends both calls after the REFER with Replaces: both rows end
    model.note_transfer("c1", "attended")
    model.apply(progress("c1", "succeeded", 200), now=4.0)
    for key in ("c1", "c2"):
        model.apply(state(key, "disconnected"), now=5.0)
    assert model.idle and model.consult_pair("c1") is None


def test_conference_add_and_remove_and_hold_rule() -> None:
    store = CallsStore(CallModel())
    seen: list[object] = []
    store.hub.subscribe(lambda ch: seen.extend(ch.calls), owner=store)
    model = store.model
    connected(model, "c1")
    model.apply(held("c1"), now=1.5)
    model.note_invite("c2", "c1")
    connected(model, "c2", uri="sip:203@pbx")
    assert model.get("c2").invited_into == "c1"  # type: ignore[union-attr]
    assert [c.key for c in model.to_hold_for(None)] == ["c2"]
    model.apply(held("c1", False), now=2.0)
    store.apply(ConferenceChanged((CallId("c1"), CallId("c2"))))
    assert len(seen) == 2  # one change per call whose conference changed
    for key in ("c1", "c2"):
        call = model.get(key)
        assert call is not None and call.conference == ("c1", "c2") and call.invited_into is None
    assert model.to_hold_for("c1") == []  # the other member stays connected with it
    connected(model, "c3", uri="sip:204@pbx")
    store.apply(ConferenceChanged((CallId("c1"), CallId("c2"), CallId("c3"))))
    assert model.get("c3").in_conference  # type: ignore[union-attr]
    model.apply(state("c2", "disconnected"), now=3.0)  # the initiator removed Bram
    store.apply(ConferenceChanged((CallId("c1"), CallId("c3"))))
    assert model.get("c1").conference == ("c1", "c3")  # type: ignore[union-attr]
    store.apply(ConferenceChanged(()))
    assert not model.get("c1").in_conference  # type: ignore[union-attr]


def test_referred_by_and_quality_come_from_engine_events() -> None:
    model = CallModel({"201": "Anna de Vries"}.get)
    model.apply(IncomingCall(CallId("c1"), ACC, "sip:0612@pbx", "", "sip:201@pbx", "Anna"), now=0.0)
    assert model.get("c1").referred_by == "Anna de Vries"  # type: ignore[union-attr]
    model.apply(IncomingCall(CallId("c2"), ACC, "sip:0612@pbx", "", "sip:299@pbx", ""), now=0.0)
    assert model.get("c2").referred_by == "299"  # type: ignore[union-attr]
    model.apply(CallQuality(CallId("c1"), 3.0, 30.0, 120.0, 3.6), now=1.0)
    quality = model.get("c1").quality  # type: ignore[union-attr]
    assert quality == Quality(3.0, 30.0, 120.0, 3.6) and quality.level == "fair"
    assert Quality(0, 1, 1, 4.4).level == "good" and Quality(20, 80, 400, 2.0).level == "poor"


def test_the_queue_of_an_incoming_call_comes_from_the_engine_event() -> None:
    model = CallModel({"1600": "Sales"}.get)
    support = "sip:1500@pbx"
    model.apply(
        IncomingCall(CallId("c1"), ACC, "sip:0612@pbx", "", queue=support, queue_name="Support NL"),
        now=0.0,
    )
    assert model.get("c1").queue == "Support NL"  # type: ignore[union-attr]
    model.apply(IncomingCall(CallId("c2"), ACC, "sip:0612@pbx", "", queue="sip:1600@pbx"), now=0.0)
    assert model.get("c2").queue == "Sales"  # type: ignore[union-attr]
    model.apply(IncomingCall(CallId("c3"), ACC, "sip:0612@pbx", ""), now=0.0)
    assert model.get("c3").queue is None  # type: ignore[union-attr]
    model.apply(state("c1", "confirmed"), now=1.0)
    assert model.get("c1").queue == "Support NL"  # type: ignore[union-attr]


def test_pickup_code() -> None:
    assert pickup_code("202") == "*9*202*"
    with pytest.raises(ValueError, match="an extension is digits only: '2\\*'"):
        pickup_code("2*")


def test_parked_events_parse_and_feed_the_store() -> None:
    event = parse_event(
        {
            "type": "call.parked",
            "data": {"call_id": "x1", "slot": 7001, "parked_by": "201", "caller": "0612"},
        }
    )
    assert event == CallParked("x1", "7001", "201", "0612")
    gone = parse_event({"type": "call.unparked", "data": {"call_id": "x1", "slot": "7001"}})
    assert gone == CallUnparked("x1", "7001", None)
    with pytest.raises(ValueError, match=r"call\.parked event: slot must be digits"):
        parse_event({"type": "call.parked", "data": {"call_id": "x", "slot": "a", "parked_by": ""}})
    store = ParkedStore()
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    row = {
        "slot": "7002",
        "call_id": "x2",
        "caller": "0612",
        "caller_name": None,
        "parked_by": "202",
        "parked_by_name": "Bram",
        "since": "2026-01-01T00:00:00Z",
    }
    store.set_calls([ParkedCall.from_api(row)])
    store.put(ParkedCall("7001", "x1", "0613", None, "201", "Anna", since))
    assert [c.slot for c in store.calls] == ["7001", "7002"]
    store.remove("7001", "x1")
    assert [c.slot for c in store.calls] == ["7002"]
    with pytest.raises(ValueError, match="parked call: since must be an ISO-8601 time"):
        ParkedCall.from_api({**row, "since": None})
