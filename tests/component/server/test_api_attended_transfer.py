"""Attended transfer through the API with real phones: Bram (202) talks with Anna (201), holds
her, calls Chris (203), then ``POST /api/v1/active-calls/{call_id}/attended-transfer`` joins
Anna and Chris and releases Bram from both calls; who hears whom is checked by tone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


def test_attended_transfer_through_the_api(server: RunningServer, tmp_path: Path) -> None:
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

        foreign = bearer(login(api, "204", "Demo-204!"))  # not a party of either call
        refused = api.post(
            f"/api/v1/active-calls/{first['call_id']}/attended-transfer",
            json={"with_call_id": second["call_id"]},
            headers=foreign,
        )
        assert refused.status_code == 409

        done = api.post(
            f"/api/v1/active-calls/{first['call_id']}/attended-transfer",
            json={"with_call_id": second["call_id"]},
            headers=token,
        )
        assert done.status_code == 202
        bram.wait_event("call_state", state="DISCONNECTED")
        bram.wait_event("call_state", state="DISCONNECTED")  # both of Bram's calls end
        left = api.get("/api/v1/active-calls", headers=token).json()
        assert left == [], [c["parties"] for c in left]

        by_anna, by_chris = record_phase([anna, chris], tmp_path, "joined")
        assert mostly(heard(by_anna, TONES["203"])), "201 does not hear 203 after the transfer"
        assert mostly(heard(by_chris, TONES["201"])), "203 does not hear 201 after the transfer"
        assert not any(heard(by_anna, TONES["202"])), "201 still hears 202"
        token_203 = bearer(login(api, "203", "Demo-203!"))
        (live,) = api.get("/api/v1/active-calls", headers=token_203).json()
        assert {p["extension"] for p in live["parties"]} == {"201", "203"}
        anna.send("hangup")
        chris.wait_event("call_state", state="DISCONNECTED")
