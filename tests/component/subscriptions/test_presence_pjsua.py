"""A pjsua2 phone watches a colleague's presence through the PBX (SUBSCRIBE presence, PIDF):
"not registered" until a phone of 202 registers, "In a call" by itself during a call and gone
after it, a status and a note set through the API (the API's JSON and the WebSocket's
presence.updated show the same); then it unsubscribes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support import agent as agent_support
from tests.support.agent import Agent, start_agent
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua

PRESENCE_AGENT = Path(__file__).resolve().parents[2] / "agents" / "pjsua_presence_agent.py"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("pbx"), demo=True)
    try:
        yield running
    finally:
        running.stop()


def _register(phone: Agent, server: RunningServer, user: str) -> None:
    phone.send(
        "register",
        host="127.0.0.1",
        port=server.sip_udp_port,
        user=user,
        password=f"Demo-{user}!",
    )
    phone.wait_event("registered")


def _event_until(ws: ClientConnection, kind: str, **match: Any) -> dict[str, Any]:
    """The data of the first WebSocket event ``kind`` whose fields include ``match``."""
    while True:
        message = json.loads(ws.recv(timeout=10))
        data = message.get("data", {})
        if message.get("type") == kind and all(data.get(k) == v for k, v in match.items()):
            return data  # type: ignore[no-any-return]


def _state_until(phone: Agent, wanted: str, timeout: float = 10.0) -> dict[str, Any]:
    """The first buddy_state whose status text contains ``wanted``."""
    while True:
        event = phone.wait_event("buddy_state", timeout=timeout)
        if wanted in str(event.get("text")) or wanted in str(event.get("note")):
            return event


def test_presence_of_a_colleague_in_pjsua(
    server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with start_agent(tmp_path, "anna") as anna, start_agent(tmp_path, "bram") as bram:
        monkeypatch.setattr(agent_support, "AGENT_SCRIPT", PRESENCE_AGENT)
        with start_agent(tmp_path, "chris") as chris:
            monkeypatch.undo()
            _register(chris, server, "203")
            buddy = chris.send("buddy", uri="202")["buddy"]
            first = _state_until(chris, "Not registered")
            assert first["status"] == "offline"

            _register(bram, server, "202")
            online = _state_until(chris, "Available")
            assert online["status"] == "online"

            _register(anna, server, "201")
            call = anna.send("call", uri="202")["call"]
            incoming = bram.wait_event("incoming_call")
            bram.send("answer", call=incoming["call"])
            anna.wait_call_state(call, "CONFIRMED")
            busy = _state_until(chris, "In a call")
            assert busy["activity"] == "busy"
            anna.send("hangup", call=call)
            _state_until(chris, "Available")

            token = httpx.post(
                f"{server.base_url}/api/v1/auth/login",
                json={"username": "202", "password": "Demo-202!"},
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            with connect(f"{server.ws_url}/api/v1/events?token={token}") as ws:
                put = httpx.put(
                    f"{server.base_url}/api/v1/me/presence",
                    json={"status": "meeting", "until": "2099-01-01T15:00:00Z", "note": "Room 4"},
                    headers=headers,
                )
                assert put.status_code == 200, put.text
                update = _event_until(ws, "presence.updated", note="Room 4")
            assert update["extension"] == "202" and update["activity"] == "meeting"
            assert update["line"] == "idle" and update["registered"] is True
            meeting = _state_until(chris, "Room 4")  # pjsua shows the note over the status
            assert meeting["status"] == "online" and meeting["activity"] == "busy"
            seen = httpx.get(f"{server.base_url}/api/v1/me/presence", headers=headers).json()
            assert seen["status"] == "meeting" and seen["activity"] == "meeting"
            assert seen["note"] == "Room 4" and seen["role"] == "work"
            assert seen["line"] == "idle" and seen["registered"] is True

            chris.send("unbuddy", buddy=buddy)
            ended = chris.wait_event("buddy_sub_state", sub_state="TERMINATED")
            assert ended["buddy"] == buddy
