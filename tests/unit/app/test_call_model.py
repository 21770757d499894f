"""The call model without Qt, sockets or clocks: engine events in, call states and changes out."""

from __future__ import annotations

import pytest

from app.call_model import (
    TRANSITIONS,
    ActiveCall,
    CallAdded,
    CallChanged,
    CallModel,
    CallModelError,
    CallRemoved,
    focus_call,
    number_of_uri,
)
from sip import AccountId, CallId, CallState, CallStateChanged, IncomingCall, MediaStateChanged

ACC = AccountId("account-1")


def incoming(key: str, uri: str = "sip:202@pbx", name: str = "Bram") -> IncomingCall:
    return IncomingCall(CallId(key), ACC, uri, name)


def state(
    key: str,
    s: CallState,
    code: int = 200,
    reason: str = "OK",
    incoming: bool = False,
    uri: str = "sip:202@pbx",
) -> CallStateChanged:
    return CallStateChanged(CallId(key), s, code, reason, uri, "", incoming)


def media(
    key: str, held: bool = False, muted: bool = False, remote: bool = False
) -> MediaStateChanged:
    return MediaStateChanged(CallId(key), not (held or remote), held, remote, muted)


def test_an_outgoing_call_is_listed_by_its_first_state_and_connects() -> None:
    model = CallModel({"202": "Bram Jansen"}.get)
    added = model.apply(state("c1", "calling", 0, ""), now=1.0)
    assert added == CallAdded(ActiveCall("c1", "outgoing", "202", "Bram Jansen", "calling"))
    changed = model.apply(state("c1", "early", 183, "Session Progress"), now=2.0)
    assert isinstance(changed, CallChanged) and changed.call.state == "ringing"
    assert model.apply(state("c1", "ringing", 180), now=3.0) is None  # nothing new
    model.apply(state("c1", "confirmed"), now=4.0)
    call = model.get("c1")
    assert call is not None and (call.state, call.connected_at) == ("connected", 4.0)


def test_an_incoming_call_rings_until_confirmed() -> None:
    model = CallModel()
    assert model.apply(incoming("c2"), now=0.0) == CallAdded(
        ActiveCall("c2", "incoming", "202", "Bram", "incoming")
    )
    assert model.apply(state("c2", "ringing", incoming=True), now=1.0) is None
    assert model.ringtone_calls() == [model.get("c2")] and not model.busy()
    answered = model.apply(state("c2", "connecting", incoming=True), now=1.5)
    assert isinstance(answered, CallChanged) and answered.call.state == "answering"
    assert model.apply(state("c2", "connecting", incoming=True), now=1.6) is None
    assert model.ringing_call() == model.get("c2")  # still the incoming call until the ACK
    call = model.get("c2")
    assert call is not None and call.ringing_in and not call.in_call
    assert model.ringtone_calls() == [] and model.busy()  # the ringtone stops on answering
    model.apply(state("c2", "confirmed", incoming=True), now=2.0)
    assert model.get("c2") == ActiveCall("c2", "incoming", "202", "Bram", "connected", 2.0)
    with pytest.raises(CallModelError, match="call 'c2' is already listed"):
        model.apply(incoming("c2"), now=3.0)


def test_held_has_one_form_the_state_set_by_the_media_event() -> None:
    model = CallModel()
    model.apply(incoming("c3"), now=0.0)
    model.apply(state("c3", "confirmed", incoming=True), now=5.0)
    model.apply(media("c3", held=True), now=6.0)
    call = model.get("c3")
    assert call is not None and call.state == "held" and call.held and call.in_call
    model.apply(state("c3", "confirmed", incoming=True), now=7.0)  # a re-INVITE: still held
    assert model.get("c3").held  # type: ignore[union-attr]
    model.apply(media("c3"), now=8.0)
    call = model.get("c3")
    assert call is not None and call.state == "connected" and not call.held
    assert call.connected_at == 5.0  # the timer runs from the first answer


def test_mute_and_remote_hold_come_from_the_media_event() -> None:
    model = CallModel()
    model.apply(state("c4", "confirmed"), now=0.0)
    change = model.apply(media("c4", muted=True), now=1.0)
    assert isinstance(change, CallChanged) and change.call.muted
    model.apply(media("c4", muted=True, remote=True), now=2.0)
    call = model.get("c4")
    assert call is not None and call.remote_held and call.state == "connected"


def test_an_ended_call_keeps_its_reason_until_dismissed() -> None:
    model = CallModel()
    model.apply(state("c5", "calling", 0, ""), now=0.0)
    assert model.dismiss("c5") is None  # live calls stay
    change = model.apply(state("c5", "disconnected", 486, "Busy Here"), now=1.0)
    assert isinstance(change, CallChanged) and change.ended
    assert change.call.outcome == "busy" and change.call.end_code == 486 and model.idle
    assert model.dismiss("c5") == CallRemoved("c5") and model.calls == []
    assert model.apply(state("c5", "disconnected", 200), now=2.0) is None


def test_a_normal_hang_up_after_answer_is_completed() -> None:
    model = CallModel()
    model.apply(state("c6", "confirmed"), now=0.0)
    change = model.apply(state("c6", "disconnected", 200, "Normal call clearing"), now=1.0)
    assert isinstance(change, CallChanged) and change.call.outcome == "completed"


def test_illegal_moves_raise_with_exact_text_and_change_nothing() -> None:
    model = CallModel()
    model.apply(state("c7", "calling", 0, ""), now=0.0)
    with pytest.raises(
        CallModelError, match=r"^call 'c7': no transition from 'calling' on 'held'$"
    ):
        model.apply(media("c7", held=True), now=1.0)
    model.apply(state("c7", "disconnected", 487, "Request Terminated"), now=2.0)
    with pytest.raises(CallModelError, match="no transition from 'ended' on 'confirmed'"):
        model.apply(state("c7", "confirmed"), now=3.0)
    assert model.get("c7").state == "ended"  # type: ignore[union-attr]


def test_events_of_unknown_calls_are_not_ours() -> None:
    model = CallModel()
    assert model.apply(media("x"), now=0.0) is None
    assert model.apply(state("x", "ringing", incoming=True), now=0.0) is None
    assert model.apply(state("x", "disconnected"), now=0.0) is None
    assert model.calls == []


def test_every_state_can_end_except_ended() -> None:
    for s, moves in TRANSITIONS.items():
        assert (moves.get("disconnected") == "ended") == (s != "ended")


def _call(key: str, state: str) -> ActiveCall:
    return ActiveCall(key, "outgoing", "202", None, state)  # type: ignore[arg-type]


def test_focus_is_connected_then_dialled_then_held() -> None:
    held, connected, dialled = _call("h", "held"), _call("c", "connected"), _call("d", "ringing")
    assert focus_call([]) is None
    assert focus_call([held, dialled, connected]) == connected
    assert focus_call([held, dialled]) == dialled
    assert focus_call([_call("h0", "held"), held]) == held  # the latest
    assert focus_call([_call("i", "incoming")]) is None


def test_taking_the_focus_holds_the_connected_call() -> None:
    model = CallModel()
    model.apply(state("a", "confirmed"), now=0.0)
    model.apply(incoming("b"), now=1.0)
    assert [c.key for c in model.to_hold_for("b")] == ["a"]
    assert [c.key for c in model.to_hold_for(None)] == ["a"]
    assert model.to_hold_for("a") == []


def test_names_arrive_with_the_directory() -> None:
    names: dict[str, str] = {}
    model = CallModel(names.get)
    model.apply(state("a", "calling", 0, ""), now=0.0)
    assert model.fill_names() == []
    names["202"] = "Bram Jansen"
    (change,) = model.fill_names()
    assert isinstance(change, CallChanged) and change.call.name == "Bram Jansen"


@pytest.mark.parametrize(
    ("uri", "number"),
    [
        ("sip:202@127.0.0.1", "202"),
        ("sips:+31205550134@pbx;user=phone", "+31205550134"),
        ("202", "202"),
    ],
)
def test_number_of_uri(uri: str, number: str) -> None:
    assert number_of_uri(uri) == number


def test_unanswered_480_means_not_signed_in_before_ringing_and_no_answer_after() -> None:
    model = CallModel()
    model.apply(state("n1", "calling", 0, ""), now=0.0)
    change = model.apply(state("n1", "disconnected", 480, "Temporarily Unavailable"), now=1.0)
    assert isinstance(change, CallChanged) and change.call.outcome == "not_signed_in"
    model.apply(state("n2", "calling", 0, ""), now=0.0)
    model.apply(state("n2", "ringing", 180, "Ringing"), now=0.5)
    change = model.apply(state("n2", "disconnected", 480, "Temporarily Unavailable"), now=1.0)
    assert isinstance(change, CallChanged) and change.call.outcome == "no_answer"


def test_an_incoming_call_the_caller_gave_up() -> None:
    model = CallModel()
    model.apply(incoming("i1"), now=0.0)
    change = model.apply(state("i1", "disconnected", 487, "Request Terminated", True), now=1.0)
    assert isinstance(change, CallChanged) and change.call.outcome == "caller_gave_up"


def test_answering_moves_only_to_connected_or_ended() -> None:
    assert TRANSITIONS["incoming"]["connecting"] == "answering"
    assert TRANSITIONS["answering"]["confirmed"] == "connected"
    assert TRANSITIONS["answering"]["disconnected"] == "ended"
    model = CallModel()
    model.apply(incoming("a"), now=0.0)
    model.apply(state("a", "connecting", incoming=True), now=1.0)
    with pytest.raises(CallModelError, match="no transition from 'answering' on 'held'"):
        model.apply(media("a", held=True), now=1.5)
    model.apply(state("a", "disconnected", 408, "Request Timeout", incoming=True), now=2.0)
    call = model.get("a")
    assert call is not None and call.state == "ended" and call.connected_at is None


def test_an_answering_call_is_not_the_focus_and_a_second_caller_is_waiting() -> None:
    model = CallModel()
    model.apply(incoming("a"), now=0.0)
    model.apply(state("a", "connecting", incoming=True), now=1.0)
    assert model.focus_call() is None
    model.apply(incoming("b"), now=1.2)
    assert [c.key for c in model.ringtone_calls()] == ["b"] and model.busy()
