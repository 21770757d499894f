"""Forwarding and routing with real phones (pjsua2 agents): ``*21*202*`` forwards 201's calls to
202 and ``#21#*`` stops it, each confirmed by the PBX which then hangs up; ``*60*201*`` rings
201 anyway; Do not disturb sends calls to voicemail, except from a VIP, and without voicemail
refuses them (486) before any phone rings; a status's call flow forwards; the API and its events
(docs/routing.md)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.component.voicemail.conftest import Phones, VoicemailPbx
from tests.support.agent import Agent
from tests.support.api import bearer, login

pytestmark = pytest.mark.pjsua


def _feature_code(vm_pbx: VoicemailPbx, phone: Agent, dialled: str) -> None:
    """Dial a feature code: the PBX answers, confirms and hangs up."""
    placed = int(phone.send("call", uri=f"sip:{dialled}@127.0.0.1:{vm_pbx.sip_port}")["call"])
    event = phone.wait_call_state(placed, "CONFIRMED", timeout=10)
    assert event["state"] == "CONFIRMED", f"call ended: {event['code']} {event['reason']}"
    phone.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=15)


def _ring(vm_pbx: VoicemailPbx, caller: Agent, dialled: str, rings: Agent) -> None:
    """``caller`` calls ``dialled``; ``rings`` rings; the caller gives up."""
    placed = int(caller.send("call", uri=dialled)["call"])
    rings.wait_event("incoming_call", timeout=10)
    caller.send("hangup", call=placed)
    caller.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)
    rings.wait_event("call_state", state="DISCONNECTED", timeout=10)


@pytest.fixture
def api(vm_pbx: VoicemailPbx) -> Iterator[httpx.Client]:
    with vm_pbx.api() as client:
        yield client


def _token(api: httpx.Client, ext: str) -> dict[str, str]:
    return bearer(login(api, ext, f"Demo-{ext}!"))


def test_forwarding_codes_forward_and_stop_and_star60_bypasses(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    anna, bram, cora = (
        phones("201", tone=False),
        phones("202", tone=False),
        phones("203", tone=False),
    )
    mark = vm_pbx.mark()
    _feature_code(vm_pbx, anna, "*21*202*")
    vm_pbx.bus_event("forwarding.changed", since=mark, extension="201", enabled=True, number="202")
    me = api.get("/api/v1/me/forwarding", headers=_token(api, "201")).json()
    assert me == {"enabled": True, "number": "202"}
    mark = vm_pbx.mark()
    _ring(vm_pbx, cora, "201", bram)  # a call to 201 rings 202
    ringing = vm_pbx.bus_event("call.ringing", since=mark, caller="203")
    assert ringing["callee"] == "202"

    mark = vm_pbx.mark()
    _ring(vm_pbx, cora, "*60*201*", anna)  # *60* bypasses the forwarding
    assert vm_pbx.bus_event("call.ringing", since=mark, caller="203")["callee"] == "201"

    mark = vm_pbx.mark()
    _feature_code(vm_pbx, anna, "%2321%23*")  # #21#*
    vm_pbx.bus_event("forwarding.changed", since=mark, extension="201", enabled=False)
    assert api.get("/api/v1/me/forwarding", headers=_token(api, "201")).json() == {
        "enabled": False,
        "number": "202",
    }
    mark = vm_pbx.mark()
    _ring(vm_pbx, cora, "201", anna)  # 201 rings again
    assert vm_pbx.bus_event("call.ringing", since=mark, caller="203")["callee"] == "201"


def test_a_forwarding_loop_ends_at_the_last_user(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    bram, cora = phones("202", tone=False), phones("203", tone=False)
    put = {"enabled": True, "number": "202"}
    before = vm_pbx.mark()
    assert api.put("/api/v1/me/forwarding", json=put, headers=_token(api, "201")).status_code == 200
    # colleagues see it: the computed presence (API, presence.updated, search results)
    assert api.get("/api/v1/me/presence", headers=_token(api, "201")).json()["forwarding"] == "202"
    vm_pbx.bus_event("presence.updated", since=before, extension="201", forwarding="202")
    back = {"enabled": True, "number": "201"}
    assert (
        api.put("/api/v1/me/forwarding", json=back, headers=_token(api, "202")).status_code == 200
    )
    try:
        mark = vm_pbx.mark()
        _ring(vm_pbx, cora, "201", bram)  # 201 → 202 → 201: ends at 202
        assert vm_pbx.bus_event("call.ringing", since=mark, caller="203")["callee"] == "202"
    finally:
        for ext in ("201", "202"):
            off = {"enabled": False, "number": None}
            api.put("/api/v1/me/forwarding", json=off, headers=_token(api, ext))


def test_do_not_disturb_goes_to_voicemail_and_a_vip_rings_through(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    anna, cora = phones("201", tone=False), phones("203", tone=False)
    anna_token = _token(api, "201")
    dnd = api.put("/api/v1/me/presence", json={"status": "dnd"}, headers=anna_token)
    assert dnd.status_code == 200, dnd.text
    try:
        mark = vm_pbx.mark()
        placed = int(cora.send("call", uri="201")["call"])
        answered = vm_pbx.bus_event("voicemail.answered", since=mark, mailbox="201")
        assert answered["caller"] == "203"
        cora.wait_call_state(placed, "CONFIRMED", timeout=10)
        cora.send("hangup", call=placed)
        cora.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)

        vip = {"name": "Cora", "numbers": [{"label": "work", "number": "203"}], "type": "vip"}
        made = api.post("/api/v1/contacts", json=vip, headers=anna_token)
        assert made.status_code == 201, made.text
        mark = vm_pbx.mark()
        _ring(vm_pbx, cora, "201", anna)  # a VIP rings through Do not disturb
        assert vm_pbx.bus_event("call.ringing", since=mark, caller="203")["callee"] == "201"
        api.delete(f"/api/v1/contacts/{made.json()['id']}", headers=anna_token)
    finally:
        api.put("/api/v1/me/presence", json={"status": "available"}, headers=anna_token)


def test_the_call_flow_of_a_status_forwards(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    bram, cora = phones("202", tone=False), phones("203", tone=False)
    token = _token(api, "201")
    flows = api.put(
        "/api/v1/me/call-flows", json={"flows": {"lunch": "forward to 202"}}, headers=token
    )
    assert flows.status_code == 200, flows.text
    assert flows.json()["flows"]["lunch"] == "forward to 202"
    assert flows.json()["flows"]["available"] == "default"
    api.put("/api/v1/me/presence", json={"status": "lunch"}, headers=token)
    try:
        mark = vm_pbx.mark()
        _ring(vm_pbx, cora, "201", bram)
        assert vm_pbx.bus_event("call.ringing", since=mark, caller="203")["callee"] == "202"
    finally:
        api.put("/api/v1/me/presence", json={"status": "available"}, headers=token)
        api.put("/api/v1/me/call-flows", json={"flows": {"lunch": "default"}}, headers=token)


def test_bad_numbers_and_flows_are_refused(api: httpx.Client) -> None:
    token = _token(api, "201")
    for body in (
        {"enabled": True, "number": "abc"},
        {"enabled": True, "number": "201"},  # your own extension
        {"enabled": True, "number": ""},
    ):
        refused = api.put("/api/v1/me/forwarding", json=body, headers=token)
        assert refused.status_code == 422, body
        assert refused.json()["error"] == "bad_number"
    for flows in ({"nap": "voicemail"}, {"lunch": "ring twice"}, {"lunch": "forward to x"}):
        refused = api.put("/api/v1/me/call-flows", json={"flows": flows}, headers=token)
        assert refused.status_code == 422, flows
    assert api.get("/api/v1/me/forwarding").status_code == 401


def test_a_forwarding_code_with_a_bad_number_changes_nothing(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    anna = phones("201", tone=False)
    before = api.get("/api/v1/me/forwarding", headers=_token(api, "201")).json()
    mark = vm_pbx.mark()
    _feature_code(vm_pbx, anna, "*21*201*")  # your own extension: "not allowed", then goodbye
    vm_pbx.bus_event("call.ended", since=mark, caller="201")
    assert not [e for e in vm_pbx.events[mark:] if e.kind == "forwarding.changed"]
    assert api.get("/api/v1/me/forwarding", headers=_token(api, "201")).json() == before


def _last_call(api: httpx.Client, token: dict[str, str], number: str) -> dict[str, object]:
    """The newest call with ``number`` in the history (the record is written just after the
    answer, so it is waited for)."""
    deadline = time.monotonic() + 10
    while True:
        calls = api.get("/api/v1/calls", headers=token).json()
        found = [c for c in calls if c["number"] == number]
        if found or time.monotonic() > deadline:
            assert found, calls
            return dict(found[0])
        time.sleep(0.1)


def test_without_voicemail_do_not_disturb_and_a_voicemail_flow_refuse_the_call(
    vm_pbx: VoicemailPbx, phones: Phones, api: httpx.Client
) -> None:
    anna, cora = phones("201", tone=False), phones("203", tone=False)
    token = _token(api, "201")
    off = api.put("/api/v1/voicemail/settings", json={"enabled": False}, headers=token)
    assert off.status_code == 200, off.text
    flows = {"flows": {"lunch": "voicemail"}}
    assert api.put("/api/v1/me/call-flows", json=flows, headers=token).status_code == 200
    try:
        for status in ("dnd", "lunch"):
            api.put("/api/v1/me/presence", json={"status": status}, headers=token)
            mark = vm_pbx.mark()
            placed = int(cora.send("call", uri="201")["call"])
            ended = cora.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)
            assert ended["code"] == 486, (status, ended)
            record = _last_call(api, token, "203")
            assert (record["direction"], record["reason"]) == ("missed", "unavailable")
            assert not [e for e in vm_pbx.events[mark:] if e.kind == "call.ringing"], status
            assert not [e for e in anna.drain() if e.get("event") == "incoming_call"], status
            api.delete(f"/api/v1/calls/{record['id']}", headers=token)
        api.put("/api/v1/voicemail/settings", json={"enabled": True}, headers=token)
        mark = vm_pbx.mark()  # voicemail on again: Lunch's flow sends the call there
        placed = int(cora.send("call", uri="201")["call"])
        vm_pbx.bus_event("voicemail.answered", since=mark, mailbox="201", caller="203")
        cora.wait_call_state(placed, "CONFIRMED", timeout=10)
        cora.send("hangup", call=placed)
        cora.wait_event("call_state", call=placed, state="DISCONNECTED", timeout=10)
    finally:
        api.put("/api/v1/voicemail/settings", json={"enabled": True}, headers=token)
        api.put("/api/v1/me/presence", json={"status": "available"}, headers=token)
        api.put("/api/v1/me/call-flows", json={"flows": {"lunch": "default"}}, headers=token)
