"""Routing rules with real phones (pjsua2 agents, docs/routing.md "Routing rules"): "the
softphone, after 5 s the mobile number" rings the app first, then the mobile, which answers
and talks; a required organisation rule wins over the user's own; a time-of-day rule; the API's
checks. The app is told apart by its User-Agent (an agent named ``AcmePhone-201``); the
"mobile" is another registered phone (203: without trunks a mobile number is dialled like any
number on the PBX)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.component.voicemail.conftest import DELAY_S, TONES, Phones, VoicemailPbx
from tests.support.agent import Agent
from tests.support.api import bearer, login
from tests.support.audio import write_tone_wav
from tests.support.listening import heard, mostly, record_phase

pytestmark = pytest.mark.pjsua

STEP_S = 5.0


@pytest.fixture
def api(vm_pbx: VoicemailPbx) -> Iterator[httpx.Client]:
    with vm_pbx.api() as client:
        yield client


def _token(api: httpx.Client, ext: str) -> dict[str, str]:
    return bearer(login(api, ext, f"Demo-{ext}!"))


@contextlib.contextmanager
def _softphone(workdir: Path, port: int, ext: str) -> Iterator[Agent]:
    """A phone whose User-Agent names the app: the PBX takes it for the softphone."""
    with contextlib.ExitStack() as stack:
        phone = Agent(workdir, f"AcmePhone-{ext}", extra_args=("--clock-rate", "8000"))
        stack.callback(phone.close)
        phone.send("register", host="127.0.0.1", port=port, user=ext, password=f"Demo-{ext}!")
        phone.wait_event("registered", code=200, timeout=10)
        wav = write_tone_wav(workdir / f"soft{ext}-tone.wav", TONES[ext], 1.0, level=0.2)
        phone.send("play", file=str(wav))
        yield phone


@contextlib.contextmanager
def _rules(api: httpx.Client, ext: str, body: dict[str, object]) -> Iterator[None]:
    token = _token(api, ext)
    put = api.put("/api/v1/me/routing-rules", json=body, headers=token)
    assert put.status_code == 200, put.text
    try:
        yield
    finally:
        api.put("/api/v1/me/routing-rules", json={"rules": []}, headers=token)


@contextlib.contextmanager
def _org_rules(api: httpx.Client, body: dict[str, object]) -> Iterator[None]:
    token = _token(api, "205")  # the demo's admin
    put = api.put("/api/v1/org/routing-rules", json=body, headers=token)
    assert put.status_code == 200, put.text
    try:
        yield
    finally:
        api.put("/api/v1/org/routing-rules", json={"time_zone": "UTC"}, headers=token)


def _no_ringing(phone: Agent) -> None:
    assert not [e for e in phone.drain() if e.get("event") == "incoming_call"], phone.name


def test_the_softphone_then_the_mobile_after_5_s(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client, tmp_path: Path
) -> None:
    desk = phones("201", tone=False)  # another phone of 201: this rule does not ring it
    mobile, bram = phones("203"), phones("202")
    rule = {
        "name": "Softphone, then my mobile",
        "steps": [
            {"after": 0, "destination": "softphone"},
            {"after": STEP_S, "destination": "mobile", "keep_ringing": False},
        ],
    }
    with (
        _softphone(tmp_path, vm_pbx.sip_port, "201") as soft,
        _rules(api, "201", {"mobile": "203", "rules": [rule]}),
    ):
        mark = vm_pbx.mark()
        placed = int(bram.send("call", uri="201")["call"])
        first = soft.wait_event("incoming_call", timeout=10)
        _no_ringing(mobile)  # not before its step
        second = mobile.wait_event("incoming_call", timeout=STEP_S + 10)
        assert second["_t"] - first["_t"] >= STEP_S - 1.0, "the mobile rang before its step"
        soft.wait_event("call_state", state="DISCONNECTED", timeout=10)  # switched away
        mobile.send("answer", code=200)
        mobile.wait_event("media_active", timeout=10)
        bram.wait_call_state(placed, "CONFIRMED", timeout=10)
        by_bram, by_mobile = record_phase([bram, mobile], tmp_path, "mobile")
        assert mostly(heard(by_bram, TONES["203"])), "202 does not hear the mobile"
        assert mostly(heard(by_mobile, TONES["202"])), "the mobile does not hear 202"
        _no_ringing(desk)
        bram.send("hangup", call=placed)
        mobile.wait_event("call_state", state="DISCONNECTED", timeout=10)
        ended = vm_pbx.bus_event("call.ended", since=mark, caller="202")
        assert ended["callee"] == "201" and ended["answered"] is True


def test_voicemail_takes_the_call_at_the_rules_step(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client, tmp_path: Path
) -> None:
    bram = phones("202", tone=False)
    late = DELAY_S + 3.0  # later than the default of these tests
    rule = {
        "name": "Softphone, then voicemail",
        "steps": [
            {"after": 0, "destination": "softphone"},
            {"after": late, "destination": "voicemail"},
        ],
    }
    with (
        _softphone(tmp_path, vm_pbx.sip_port, "201") as soft,
        _rules(api, "201", {"rules": [rule]}),
    ):
        mark = vm_pbx.mark()
        placed = int(bram.send("call", uri="201")["call"])
        rang = soft.wait_event("incoming_call", timeout=10)
        answered = bram.wait_call_state(placed, "CONFIRMED", timeout=late + 10)
        assert answered["state"] == "CONFIRMED", answered
        assert answered["_t"] - rang["_t"] >= late - 1.0, "voicemail came before the step"
        found = vm_pbx.bus_event("voicemail.answered", since=mark, mailbox="201")
        assert found["reason"] == "no-answer"
        soft.wait_event("call_state", state="DISCONNECTED", timeout=10)
        bram.send("hangup", call=placed)
        bram.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)


def test_a_required_organisation_rule_wins_over_the_users_own(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client, tmp_path: Path
) -> None:
    desk, bram = phones("201", tone=False), phones("202", tone=False)
    own = {"name": "Only the app", "steps": [{"destination": "softphone"}]}
    required = {"name": "Desk phones", "steps": [{"destination": "desk_phone"}]}
    with (
        _softphone(tmp_path, vm_pbx.sip_port, "201") as soft,
        _rules(api, "201", {"rules": [own]}),
    ):
        placed = int(bram.send("call", uri="201")["call"])
        soft.wait_event("incoming_call", timeout=10)  # the own rule alone: the softphone
        bram.send("hangup", call=placed)
        soft.wait_event("call_state", state="DISCONNECTED", timeout=10)
        _no_ringing(desk)
        with _org_rules(api, {"time_zone": "UTC", "required": [required]}):
            listed = api.get("/api/v1/me/routing", headers=_token(api, "201")).json()
            scopes = [(r["scope"], r["name"]) for r in listed["rules"]]
            assert scopes[:2] == [("required", "Desk phones"), ("own", "Only the app")]
            assert scopes[-1] == ("fallback", "Ring all devices")
            placed = int(bram.send("call", uri="201")["call"])
            desk.wait_event("incoming_call", timeout=10)
            bram.send("hangup", call=placed)
            desk.wait_event("call_state", state="DISCONNECTED", timeout=10)
            _no_ringing(soft)


def test_a_time_of_day_rule(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client, tmp_path: Path
) -> None:
    desk, mobile, bram = phones("201", tone=False), phones("203", tone=False), phones("202")
    now = datetime.now(UTC)

    def window(start: timedelta, end: timedelta) -> dict[str, object]:
        return {"start": (now + start).strftime("%H:%M"), "end": (now + end).strftime("%H:%M")}

    later = {
        "name": "Later today: voicemail",
        "when": {"time": window(timedelta(hours=3), timedelta(hours=4))},
        "steps": [{"destination": "voicemail"}],
    }
    around_now = {
        "name": "Now: the mobile",
        "when": {"time": window(timedelta(hours=-1), timedelta(hours=1))},
        "steps": [{"destination": "mobile"}],
    }
    with (
        _org_rules(api, {"time_zone": "UTC"}),
        _rules(api, "201", {"mobile": "203", "rules": [later, around_now]}),
    ):
        mark = vm_pbx.mark()
        placed = int(bram.send("call", uri="201")["call"])
        mobile.wait_event("incoming_call", timeout=10)
        bram.send("hangup", call=placed)
        mobile.wait_event("call_state", state="DISCONNECTED", timeout=10)
        _no_ringing(desk)
        assert not [e for e in vm_pbx.events[mark:] if e.kind == "voicemail.answered"]


def test_rules_are_checked_and_org_rules_are_for_admins(api: httpx.Client) -> None:
    token = _token(api, "201")
    assert api.get("/api/v1/me/routing-rules").status_code == 401
    shape = {"rules": [{"steps": [{"destination": "fax"}]}]}
    refused = api.put("/api/v1/me/routing-rules", json=shape, headers=token)
    assert refused.status_code == 422 and refused.json()["error"] == "invalid_request"
    late = {"rules": [{"steps": [{"after": 5, "destination": "softphone"}]}]}
    refused = api.put("/api/v1/me/routing-rules", json=late, headers=token)
    assert refused.status_code == 422
    assert refused.json() == {
        "error": "bad_routing_rule",
        "message": "rule 1: the first step is at 0 seconds",
    }
    no_mobile = {"rules": [{"steps": [{"destination": "mobile"}]}]}
    refused = api.put("/api/v1/me/routing-rules", json=no_mobile, headers=token)
    assert refused.json()["message"] == "a rule rings your mobile: set your mobile number"
    assert api.get("/api/v1/org/routing-rules", headers=token).status_code == 403
    assert api.put("/api/v1/org/routing-rules", json={}, headers=token).status_code == 403
    admin = _token(api, "205")
    zone = api.put("/api/v1/org/routing-rules", json={"time_zone": "Mars/Base"}, headers=admin)
    assert zone.status_code == 422 and zone.json()["message"] == "unknown time zone 'Mars/Base'"
    assert api.get("/api/v1/org/routing-rules", headers=admin).status_code == 200


def test_the_call_flow_of_a_status_applies_after_the_organisations_ring_delay(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    """S9: "forwarding happens after a ring delay set by the admin": Anna's phone rings first,
    then the call flow of Lunch sends the call to Bram (202), who answers."""
    anna, bram, cora = phones("201"), phones("202"), phones("203")
    token = _token(api, "201")
    flows = {"flows": {"lunch": "forward to 202"}}
    assert api.put("/api/v1/me/call-flows", json=flows, headers=token).status_code == 200
    api.put("/api/v1/me/presence", json={"status": "lunch"}, headers=token)
    delay = {"time_zone": "UTC", "call_flow_delay_s": int(STEP_S)}
    try:
        with _org_rules(api, delay):
            got = api.get("/api/v1/org/routing-rules", headers=_token(api, "205")).json()
            assert got["call_flow_delay_s"] == int(STEP_S)
            mine = api.get("/api/v1/me/routing", headers=token).json()["rules"]
            (lunch,) = [r for r in mine if r["name"] == "Call flow of lunch"]
            assert [(s["after"], s["destination"]) for s in lunch["steps"]] == [
                (0, "all_devices"),
                (STEP_S, "number"),
                (STEP_S + DELAY_S, "voicemail"),
            ]
            mark = vm_pbx.mark()
            placed = int(cora.send("call", uri="201")["call"])
            anna.wait_event("incoming_call", timeout=10)  # her phone first
            _no_ringing(bram)
            bram.wait_event("incoming_call", timeout=STEP_S + 10)  # then the call flow
            anna.wait_event("call_state", state="DISCONNECTED", timeout=10)  # no longer hers
            bram.send("answer", code=200)
            bram.wait_event("media_active", timeout=10)
            cora.wait_call_state(placed, "CONFIRMED", timeout=10)
            cora.send("hangup", call=placed)
            bram.wait_event("call_state", state="DISCONNECTED", timeout=10)
            ended = vm_pbx.bus_event("call.ended", since=mark, caller="203")
            assert ended["answered"] is True
    finally:
        api.put("/api/v1/me/presence", json={"status": "available"}, headers=token)
        api.put("/api/v1/me/call-flows", json={"flows": {"lunch": "default"}}, headers=token)


@contextlib.contextmanager
def _agent_logged_in(api: httpx.Client, queue: str, ext: str) -> Iterator[None]:
    token = _token(api, ext)
    path = f"/api/v1/queues/{queue}/agents/{ext}"
    put = api.put(path, json={"status": "logged_in"}, headers=token)
    assert put.status_code == 200, put.text
    try:
        yield
    finally:
        api.put(path, json={"status": "logged_out"}, headers=token)


def test_a_queue_step_hands_the_caller_to_the_queue(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client, tmp_path: Path
) -> None:
    bram, dana = phones("202"), phones("204")  # Dana: an agent of Sales (1501)
    rule = {
        "name": "Softphone, then the Sales queue",
        "steps": [
            {"after": 0, "destination": "softphone"},
            {"after": STEP_S, "destination": "queue", "number": "1501"},
        ],
    }
    with (
        _softphone(tmp_path, vm_pbx.sip_port, "201") as soft,
        _rules(api, "201", {"rules": [rule]}),
        _agent_logged_in(api, "1501", "204"),
    ):
        placed = int(bram.send("call", uri="201")["call"])
        first = soft.wait_event("incoming_call", timeout=10)
        offered = dana.wait_event("incoming_call", timeout=STEP_S + 10)
        assert offered["_t"] - first["_t"] >= STEP_S - 1.0, "the queue took the call early"
        assert offered["x_queue"] is not None and "Sales" in offered["x_queue"]
        soft.wait_event("call_state", state="DISCONNECTED", timeout=10)  # the queue took it
        dana.send("answer", call=int(offered["call"]), code=200)
        dana.wait_event("media_active", timeout=10)
        by_bram, by_dana = record_phase([bram, dana], tmp_path, "queue")
        assert mostly(heard(by_bram, TONES["204"])), "202 does not hear the agent"
        assert mostly(heard(by_dana, TONES["202"])), "the agent does not hear 202"
        bram.send("hangup", call=placed)
        dana.wait_event("call_state", state="DISCONNECTED", timeout=10)


def test_forwarding_to_a_queue_number_reaches_its_agents(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    caller, dana = phones("202", tone=False), phones("204", tone=False)
    token = _token(api, "203")
    put = api.put("/api/v1/me/forwarding", json={"enabled": True, "number": "1501"}, headers=token)
    assert put.status_code == 200, put.text
    try:
        with _agent_logged_in(api, "1501", "204"):
            placed = int(caller.send("call", uri="203")["call"])
            offered = dana.wait_event("incoming_call", timeout=10)
            assert offered["x_queue"] is not None and "Sales" in offered["x_queue"]
            caller.wait_call_state(placed, "CONFIRMED", timeout=10)  # the queue answered
            caller.send("hangup", call=placed)
            dana.wait_event("call_state", state="DISCONNECTED", timeout=10)
    finally:
        api.put("/api/v1/me/forwarding", json={"enabled": False}, headers=token)
