"""The ringer reads the call model: ring while a call waits for an answer, beep during a call."""

from __future__ import annotations

from typing import cast

from app.audio import AudioDevices, Ringer
from app.bus import ChangeHub
from app.call_model import CallModel
from app.stores import CallsStore
from sip import AccountId, CallId, CallState, CallStateChanged, IncomingCall


class _Devices:
    def __init__(self) -> None:
        self.ringing = False
        self.beeps = 0

    def start_ringtone(self) -> None:
        self.ringing = True

    def stop_ringtone(self) -> None:
        self.ringing = False

    def beep(self) -> None:
        self.beeps += 1


def _rig() -> tuple[CallsStore, _Devices, Ringer]:
    hub = ChangeHub()
    calls = CallsStore(CallModel(), clock=lambda: 0.0, hub=hub)
    devices = _Devices()
    ringer = Ringer(cast(AudioDevices, devices), calls.model)
    hub.subscribe(ringer.on_changes)
    return calls, devices, ringer


def _in(calls: CallsStore, key: str) -> None:
    calls.apply(IncomingCall(CallId(key), AccountId("a"), "sip:202@pbx", ""))


def _state(calls: CallsStore, key: str, s: CallState, incoming: bool = True) -> None:
    calls.apply(CallStateChanged(CallId(key), s, 200, "", "sip:202@pbx", "", incoming))


def test_rings_until_the_user_answers_not_until_the_ack(qapp: object) -> None:
    calls, devices, ringer = _rig()
    _in(calls, "a")
    assert devices.ringing and ringer.ringing_calls == {"a"}
    _state(calls, "a", "early")
    assert devices.ringing
    _state(calls, "a", "connecting")  # our 200 OK: the model says "answering"
    assert not devices.ringing and ringer.ringing_calls == frozenset()
    _state(calls, "a", "confirmed")
    assert not devices.ringing and devices.beeps == 0


def test_a_declined_or_cancelled_call_stops_ringing(qapp: object) -> None:
    calls, devices, _ = _rig()
    _in(calls, "a")
    _state(calls, "a", "disconnected")
    assert not devices.ringing


def test_a_call_during_a_call_beeps_and_does_not_ring(qapp: object) -> None:
    calls, devices, _ = _rig()
    _state(calls, "out", "calling", incoming=False)
    _in(calls, "b")
    assert (devices.ringing, devices.beeps) == (False, 1)
    _state(calls, "out", "disconnected", incoming=False)
    assert devices.ringing  # the other call is gone: the waiting one rings now


def test_a_second_caller_while_the_first_rings_rings_without_a_beep(qapp: object) -> None:
    calls, devices, ringer = _rig()
    _in(calls, "a")
    _in(calls, "b")
    assert devices.ringing and devices.beeps == 0 and ringer.ringing_calls == {"a", "b"}
    _state(calls, "a", "connecting")  # answering one silences the ringtone, like before
    assert not devices.ringing
