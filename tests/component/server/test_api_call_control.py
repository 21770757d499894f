"""Call control through the API with real phones: the signed-in user lists their calls, transfers
one blind to a colleague, parks one (7000) and a colleague picks it up by dialling the slot; who
hears whom is checked by tone on the phones' recordings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.component.server._phones import TONES, connected, office, register
from tests.support.agent import start_agent
from tests.support.api import bearer, login
from tests.support.listening import heard, mostly, record_phase
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True, extra_args=["--park-recall-seconds", "60"])
    yield running
    running.stop()


def test_blind_transfer_and_park_through_the_api(server: RunningServer, tmp_path: Path) -> None:
    with office(server, tmp_path) as (anna, bram, chris, api):
        token = bearer(login(api, "202", "Demo-202!"))
        connected(anna, bram, "202")

        (live,) = api.get("/api/v1/active-calls", headers=token).json()
        assert {p["extension"] for p in live["parties"]} == {"201", "202"}
        refused = api.post(
            f"/api/v1/active-calls/{live['call_id']}/transfer", json={"to": "*99*"}, headers=token
        )
        assert refused.status_code == 409
        anna.drain()
        moved = api.post(
            f"/api/v1/active-calls/{live['call_id']}/transfer", json={"to": "203"}, headers=token
        )
        assert moved.status_code == 202
        assert bram.wait_event("call_state", state="DISCONNECTED")
        chris.wait_event("incoming_call")
        chris.send("answer", code=200)
        chris.wait_event("media_active")
        by_anna, by_chris = record_phase([anna, chris], tmp_path, "transferred")
        assert mostly(heard(by_anna, TONES["203"])), "201 does not hear 203 after the transfer"
        assert mostly(heard(by_chris, TONES["201"])), "203 does not hear 201 after the transfer"
        assert api.get("/api/v1/active-calls", headers=token).json() == []

        token_203 = bearer(login(api, "203", "Demo-203!"))
        (live,) = api.get("/api/v1/active-calls", headers=token_203).json()
        figures = [p["quality"] for p in live["parties"]]
        assert all(q is not None and q["packets_received"] > 0 for q in figures), figures
        assert all(1.0 <= q["mos"] <= 4.5 for q in figures)
        figures = _with_round_trips(api, token_203)  # from the phones' RTCP receiver reports
        assert all(q["round_trip_ms"] >= 0 and q["jitter_ms"] >= 0 for q in figures), figures
        parked = api.post(
            f"/api/v1/active-calls/{live['call_id']}/transfer",
            json={"to": "7000"},
            headers=token_203,
        )
        assert parked.status_code == 202
        chris.wait_event("call_state", state="DISCONNECTED")
        (slot,) = api.get("/api/v1/parked", headers=token).json()
        assert (slot["slot"], slot["caller"], slot["parked_by"]) == ("7001", "201", "203")
        (by_anna,) = record_phase([anna], tmp_path, "parked")
        assert not any(heard(by_anna, TONES["203"]))

        bram.drain()
        bram.send("call", uri="7001")
        bram.wait_event("media_active")
        by_anna, by_bram = record_phase([anna, bram], tmp_path, "retrieved")
        assert mostly(heard(by_anna, TONES["202"])), "201 does not hear 202 after the pickup"
        assert mostly(heard(by_bram, TONES["201"])), "202 does not hear the parked 201"
        assert api.get("/api/v1/parked", headers=token).json() == []

        # Bram moves the call to his other phone, which rings; answering there connects Anna.
        with start_agent(tmp_path, "bram-desk") as desk:
            register(desk, server, "202", tmp_path)
            devices = api.get("/api/v1/me/devices", headers=token).json()
            assert len(devices) == 2
            (target,) = [d for d in devices if f":{desk.sip_port}" in d["contact"]]
            (live,) = api.get("/api/v1/active-calls", headers=token).json()
            moved = api.post(
                f"/api/v1/active-calls/{live['call_id']}/move",
                json={"device_id": target["id"]},
                headers=token,
            )
            assert moved.status_code == 202
            desk.wait_event("incoming_call")  # Bram's first phone talks on while it rings
            assert not any(e.get("state") == "DISCONNECTED" for e in bram.drain())
            desk.send("play", file=str(tmp_path / "202.wav"))
            desk.send("answer", code=200)
            desk.wait_event("media_active")
            bram.wait_event("call_state", state="DISCONNECTED")
            by_anna, by_desk = record_phase([anna, desk], tmp_path, "moved")
            assert mostly(heard(by_anna, TONES["202"])), "201 does not hear 202's desk phone"
            assert mostly(heard(by_desk, TONES["201"])), "202's desk phone does not hear 201"
            anna.send("hangup")
            assert desk.wait_event("call_state", state="DISCONNECTED")


def test_merge_two_calls_into_a_conference(server: RunningServer, tmp_path: Path) -> None:
    with office(server, tmp_path) as (anna, bram, chris, api):
        token = bearer(login(api, "202", "Demo-202!"))
        connected(anna, bram, "202")
        (first,) = api.get("/api/v1/active-calls", headers=token).json()
        bram.send("hold")
        anna.wait_event("media_state", status="REMOTE_HOLD")
        bram.drain()
        bram.send("call", uri="203")
        chris.wait_event("incoming_call")
        chris.send("answer", code=200)
        chris.wait_event("media_active")
        calls = api.get("/api/v1/active-calls", headers=token).json()
        (second,) = [c for c in calls if c["call_id"] != first["call_id"]]
        merged = api.post(
            f"/api/v1/active-calls/{first['call_id']}/conference",
            json={"with_call_id": second["call_id"]},
            headers=token,
        )
        assert merged.status_code == 200 and merged.json()["room"].startswith("conf-")
        bram.wait_event("call_state", state="DISCONNECTED")  # the PBX ends Bram's second call
        bram.drain()
        bram.send("resume")
        bram.wait_event("media_active")
        heard_by = record_phase([anna, bram, chris], tmp_path, "conference")
        for listener, path in zip(("201", "202", "203"), heard_by, strict=True):
            for speaker, tone in TONES.items():
                expected = speaker != listener
                assert mostly(heard(path, tone)) is expected, f"{listener} hears {speaker}"


def _with_round_trips(api: httpx.Client, token: dict[str, str]) -> list[dict[str, Any]]:
    """The parties' figures once each phone's RTCP receiver report gave a round trip (the PBX
    sends a sender report every 5 s; at most 20 s)."""
    deadline = time.monotonic() + 20
    while True:
        (live,) = api.get("/api/v1/active-calls", headers=token).json()
        figures = [p["quality"] for p in live["parties"]]
        if all(q["round_trip_ms"] is not None for q in figures):
            return figures
        assert time.monotonic() < deadline, f"no round trip from the phones: {figures}"
        time.sleep(0.5)
