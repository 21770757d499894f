"""Pickup through the API with real phones: the PBX rings the signed-in user's phone for a
parked call (POST /api/v1/parked/{slot}/pickup) and for a colleague's ringing call
(POST /api/v1/pickup); who hears whom is checked by tone on the phones' recordings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.component.server._phones import TONES, connected, office
from tests.support.api import bearer, login
from tests.support.listening import heard, mostly, record_phase
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True)
    yield running
    running.stop()


def test_a_parked_call_is_picked_up_through_the_api(server: RunningServer, tmp_path: Path) -> None:
    with office(server, tmp_path) as (anna, bram, chris, api):
        bram_token = bearer(login(api, "202", "Demo-202!"))
        chris_token = bearer(login(api, "203", "Demo-203!"))
        connected(anna, bram, "202")
        (live,) = api.get("/api/v1/active-calls", headers=bram_token).json()
        parked = api.post(
            f"/api/v1/active-calls/{live['call_id']}/transfer",
            json={"to": "7000"},
            headers=bram_token,
        )
        assert parked.status_code == 202
        bram.wait_event("call_state", state="DISCONNECTED")

        empty = api.post("/api/v1/parked/7002/pickup", headers=chris_token)
        assert empty.status_code == 404 and empty.json()["error"] == "not_found"
        taken = api.post("/api/v1/parked/7001/pickup", headers=chris_token)
        assert taken.status_code == 202 and taken.json()["call_id"] == live["call_id"]
        again = api.post("/api/v1/parked/7001/pickup", headers=bram_token)
        assert again.status_code == 404  # out of the slot while Chris's phone rings
        incoming = chris.wait_event("incoming_call")
        assert "201" in incoming["from"]  # the phone shows who waits
        chris.send("answer", code=200)
        chris.wait_event("media_active")
        by_anna, by_chris = record_phase([anna, chris], tmp_path, "unparked")
        assert mostly(heard(by_anna, TONES["203"])), "201 does not hear 203 after the pickup"
        assert mostly(heard(by_chris, TONES["201"])), "203 does not hear the parked 201"
        assert api.get("/api/v1/parked", headers=chris_token).json() == []
        anna.send("hangup")
        chris.wait_event("call_state", state="DISCONNECTED")


def test_a_ringing_call_is_picked_up_through_the_api(server: RunningServer, tmp_path: Path) -> None:
    with office(server, tmp_path) as (anna, bram, chris, api):
        dana_token = bearer(login(api, "204", "Demo-204!"))  # Reception
        chris_token = bearer(login(api, "203", "Demo-203!"))
        assert api.post("/api/v1/pickup", json={}, headers=chris_token).status_code == 404

        anna.send("call", uri="202")
        bram.wait_event("incoming_call")
        _until_ringing(api, chris_token, "202")  # the PBX has seen the phone's 180
        refused = api.post("/api/v1/pickup", json={"extension": "202"}, headers=dana_token)
        assert refused.status_code == 403  # Reception may not take Support's calls
        taken = api.post("/api/v1/pickup", json={"extension": "202"}, headers=chris_token)
        assert taken.status_code == 202
        chris.wait_event("incoming_call")
        assert not any(e.get("state") == "DISCONNECTED" for e in bram.drain())  # both ring
        chris.send("answer", code=200)
        chris.wait_event("media_active")
        bram.wait_event("call_state", state="DISCONNECTED")  # Bram's phone stops ringing
        anna.wait_event("media_active")
        by_anna, by_chris = record_phase([anna, chris], tmp_path, "picked-up")
        assert mostly(heard(by_anna, TONES["203"])), "201 does not hear 203 after the pickup"
        assert mostly(heard(by_chris, TONES["201"])), "203 does not hear 201"
        (live,) = api.get("/api/v1/active-calls", headers=chris_token).json()
        assert live["callee"] == "203"
        anna.send("hangup")
        chris.wait_event("call_state", state="DISCONNECTED")


def _until_ringing(api: httpx.Client, token: dict[str, str], extension: str) -> None:
    """Wait (at most 10 s) until the PBX shows ``extension``'s line ringing: the phone reports
    the call to the test before its 180 reaches the PBX."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        rows = api.get("/api/v1/directory", params={"q": extension}, headers=token).json()
        if any(
            r.get("extension") == extension and (r.get("presence") or {}).get("line") == "ringing"
            for r in rows
        ):
            return
        time.sleep(0.05)
    raise AssertionError(f"{extension} never rang at the PBX")


def test_a_pickup_group_the_administrator_gives_spans_departments(
    server: RunningServer, tmp_path: Path
) -> None:
    """Chris (Support) may not take a call ringing at Anna (Sales); once the administrator puts
    both in the group "night-desk", Chris's phone picks up Anna's next ringing call with
    ``*9*201*`` (seed 004: the groups that pick up each other's calls)."""
    with office(server, tmp_path) as (anna, bram, chris, api):
        eva = bearer(login(api, "205", "Demo-205!"))
        chris_token = bearer(login(api, "203", "Demo-203!"))
        placed = int(bram.send("call", uri="201")["call"])
        ringing = int(anna.wait_event("incoming_call")["call"])
        _until_ringing(api, chris_token, "201")
        refused = int(chris.send("call", uri="*9*201*")["call"])
        event = chris.wait_event("call_state", call=refused, state="DISCONNECTED")
        assert event["code"] == 403  # another department
        bram.send("hangup", call=placed)
        anna.wait_event("call_state", call=ringing, state="DISCONNECTED")

        for ext in ("201", "203"):
            given = api.put(
                f"/api/v1/users/{ext}/roles", json={"roles": ["night-desk"]}, headers=eva
            )
            assert given.status_code == 200 and "night-desk" in given.json()["roles"]
        placed = int(bram.send("call", uri="201")["call"])
        ringing = int(anna.wait_event("incoming_call")["call"])
        _until_ringing(api, chris_token, "201")
        picked = int(chris.send("call", uri="*9*201*")["call"])
        chris.wait_event("media_active", call=picked)
        anna.wait_event("call_state", call=ringing, state="DISCONNECTED")  # stops ringing
        bram.wait_event("media_active", call=placed)
        by_bram, by_chris = record_phase([bram, chris], tmp_path, "group-pickup")
        assert mostly(heard(by_bram, TONES["203"])), "202 does not hear 203 after the pickup"
        assert mostly(heard(by_chris, TONES["202"])), "203 does not hear 202"
        bram.send("hangup", call=placed)
        chris.wait_event("call_state", call=picked, state="DISCONNECTED")
