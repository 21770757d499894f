"""The API during and after real calls: events on the WebSocket, call history, line state.

Two pjsua2 agents register as 201 and 202 with the started server; 201 calls 202, who answers,
holds, resumes and hangs up; the WebSocket of 201 must carry ringing, answered, held, resumed
and ended with increasing sequence numbers, and both histories must hold the call.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.support.agent import Agent, start_agent
from tests.support.api import bearer, login
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True)
    yield running
    running.stop()


def _register(agent: Agent, server: RunningServer, ext: str) -> None:
    agent.send(
        "register", host="127.0.0.1", port=server.sip_udp_port, user=ext, password=f"Demo-{ext}!"
    )
    agent.wait_event("registered", code=200)


async def _collect(ws: ClientConnection, until: str, seconds: float = 15.0) -> list[dict[str, Any]]:
    """Events up to and including the first of type ``until``."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {until} event; saw {[e.get('type') for e in seen]}"
        message = json.loads(await asyncio.wait_for(ws.recv(), remaining))
        seen.append(message)
        if message.get("type") == until:
            return seen


async def test_call_events_and_history(server: RunningServer, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        token_201 = login(api, "201", "Demo-201!")
        token_202 = login(api, "202", "Demo-202!")
    url = f"{server.ws_url}/api/v1/events?token={token_201}"
    with start_agent(tmp_path, "anna") as anna, start_agent(tmp_path, "bram") as bram:
        _register(anna, server, "201")
        _register(bram, server, "202")
        async with connect(url) as ws:
            anna.send("call", uri=f"sip:202@127.0.0.1:{server.sip_udp_port}")
            bram.wait_event("incoming_call")
            ringing = await _collect(ws, "call.ringing")
            bram.send("answer", code=200)
            anna.wait_event("call_state", state="CONFIRMED")
            answered = await _collect(ws, "call.answered")
            async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as api:
                listing = await api.get(
                    "/api/v1/directory", params={"q": "Bram"}, headers=bearer(token_201)
                )
            bram_entry = next(e for e in listing.json() if e.get("extension") == "202")
            assert bram_entry["line_state"] == "busy"
            assert bram_entry["registered"] is True
            async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as api:
                support = await api.get(
                    "/api/v1/directory", params={"q": "Chris"}, headers=bearer(token_201)
                )
            chris = next(e for e in support.json() if e.get("extension") == "203")
            assert chris["registered"] is False  # no phone of 203 is registered
            bram.send("hold")
            held = await _collect(ws, "call.held")
            bram.send("resume")
            resumed = await _collect(ws, "call.resumed")
            await asyncio.sleep(1.0)
            anna.send("hangup")
            bram.wait_event("call_state", state="DISCONNECTED")
            ended = await _collect(ws, "call.ended")
            idle = await _collect(ws, "line.changed")

    events = ringing + answered + held + resumed + ended + idle
    seqs = [e["seq"] for e in events if "seq" in e]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert ringing[-1]["data"]["caller"] == "201" and ringing[-1]["data"]["callee"] == "202"
    assert held[-1]["data"]["by"] == "202" and resumed[-1]["data"]["by"] == "202"
    assert ended[-1]["data"]["answered"] is True
    assert ended[-1]["data"]["ended_by"] == "201"
    line_changes = [e["data"] for e in events if e.get("type") == "line.changed"]
    assert {"extension": "202", "state": "ringing"} in line_changes
    assert {"extension": "202", "state": "busy"} in line_changes

    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        mine = api.get("/api/v1/calls", headers=bearer(token_201)).json()
        theirs = api.get("/api/v1/calls", headers=bearer(token_202)).json()
    assert mine[0]["direction"] == "outgoing" and mine[0]["number"] == "202"
    assert mine[0]["name"] == "Bram Jansen"
    assert mine[0]["answered"] is True and mine[0]["duration"] >= 1
    assert theirs[0]["direction"] == "incoming" and theirs[0]["number"] == "201"


def test_call_to_unregistered_user_is_missed_for_them(
    server: RunningServer, tmp_path: Path
) -> None:
    with start_agent(tmp_path, "anna") as anna:
        _register(anna, server, "201")
        anna.send("call", uri=f"sip:203@127.0.0.1:{server.sip_udp_port}")
        anna.wait_event("media_active")  # no phone of 203's is registered: his voicemail answers
        anna.send("hangup")
        anna.wait_event("call_state", state="DISCONNECTED")
        anna.send("call", uri=f"sip:299@127.0.0.1:{server.sip_udp_port}")
        assert anna.wait_event("call_state", state="DISCONNECTED")["code"] == 404
    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        token_203 = login(api, "203", "Demo-203!")
        chris = api.get("/api/v1/calls", headers=bearer(token_203)).json()
    assert chris[0]["direction"] == "missed" and chris[0]["number"] == "201"
    assert chris[0]["name"] == "Anna de Vries"


def test_declined_call_is_recorded_as_declined(server: RunningServer, tmp_path: Path) -> None:
    with start_agent(tmp_path, "anna") as anna, start_agent(tmp_path, "bram") as bram:
        _register(anna, server, "201")
        _register(bram, server, "202")
        anna.send("call", uri=f"sip:202@127.0.0.1:{server.sip_udp_port}")
        bram.wait_event("incoming_call")
        bram.send("answer", code=603)
        assert anna.wait_event("call_state", state="DISCONNECTED")["code"] == 603
    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        token_201 = login(api, "201", "Demo-201!")
        token_202 = login(api, "202", "Demo-202!")
        for _ in range(50):  # the record is written just after the 603
            mine = api.get("/api/v1/calls", headers=bearer(token_201)).json()
            if mine:
                break
            time.sleep(0.1)
        theirs = api.get("/api/v1/calls", headers=bearer(token_202)).json()
        call = mine[0]
        assert (call["reason"], call["sip_status"], call["ended_by"]) == ("declined", 603, "202")
        assert call["direction"] == "outgoing" and call["answered"] is False
        assert theirs[0]["id"] == call["id"] and theirs[0]["direction"] == "missed"
        assert (
            api.delete(f"/api/v1/calls/{call['id']}", headers=bearer(token_202)).status_code == 204
        )
        assert api.get("/api/v1/calls", headers=bearer(token_202)).json() == []
        assert [c["id"] for c in api.get("/api/v1/calls", headers=bearer(token_201)).json()] == [
            call["id"]
        ]
