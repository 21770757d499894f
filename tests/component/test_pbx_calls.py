"""Calls through the PBX between two pjsua2 agents in their own processes: both register, 201
calls 202, each hears the other's tone (checked by FFT on recordings), hold silences both ways
whatever the holding phone keeps sending, resume brings the audio back, hang-up ends both legs;
a call to 9000 hears its own tone echoed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.agent import Agent, start_agent
from tests.support.audio import write_tone_wav
from tests.support.listening import heard, mostly, record_phase
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua

TONE_201 = 700.0
TONE_202 = 1300.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One PBX for the module: every test makes its own calls and registrations."""
    running = start_server(tmp_path_factory.mktemp("pbx"), demo=True)
    try:
        yield running
    finally:
        running.stop()


def _register(agent: Agent, server: RunningServer, user: str, transport: str = "udp") -> None:
    port = server.sip_udp_port if transport == "udp" else server.sip_tcp_port
    agent.send(
        "register",
        host="127.0.0.1",
        port=port,
        transport=transport,
        user=user,
        password=f"Demo-{user}!",
    )
    assert agent.wait_event("registered", timeout=10)["code"] == 200


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_call_between_two_phones(server: RunningServer, tmp_path: Path, transport: str) -> None:
    with start_agent(tmp_path, "anna") as a, start_agent(tmp_path, "bram") as b:
        _register(a, server, "201", transport)
        _register(b, server, "202", transport)
        a.send("play", file=str(write_tone_wav(tmp_path / "a.wav", TONE_201, 1.0)))
        b.send("play", file=str(write_tone_wav(tmp_path / "b.wav", TONE_202, 1.0)))

        a.send("call", uri="202")
        incoming = b.wait_event("incoming_call")
        assert "201" in incoming["from"]
        a.wait_event("call_state", state="EARLY", code=180)
        b.send("answer", code=200)
        a.wait_event("call_state", state="CONFIRMED")
        b.wait_event("call_state", state="CONFIRMED")
        a.wait_event("media_active")
        b.wait_event("media_active")

        heard_by_a, heard_by_b = record_phase([a, b], tmp_path, "talk")
        assert mostly(heard(heard_by_a, TONE_202)), "201 does not hear 202"
        assert mostly(heard(heard_by_b, TONE_201)), "202 does not hear 201"

        # pjsua goes on sending on hold (sendonly): the PBX must not pass it on.
        a.drain()
        b.drain()
        a.send("hold")
        a.wait_event("media_state", status="LOCAL_HOLD")
        b.wait_event("media_state", status="REMOTE_HOLD")
        heard_by_a, heard_by_b = record_phase([a, b], tmp_path, "hold")
        assert not any(heard(heard_by_b, TONE_201)), "202 hears 201 while held"
        assert not any(heard(heard_by_a, TONE_202)), "201 hears 202 while holding"

        a.drain()
        b.drain()
        a.send("resume")
        a.wait_event("media_active")
        b.wait_event("media_active")
        heard_by_a, heard_by_b = record_phase([a, b], tmp_path, "resumed")
        assert mostly(heard(heard_by_a, TONE_202)), "201 does not hear 202 after resume"
        assert mostly(heard(heard_by_b, TONE_201)), "202 does not hear 201 after resume"

        a.send("hangup")
        a.wait_event("call_state", state="DISCONNECTED")
        assert b.wait_event("call_state", state="DISCONNECTED")["code"] == 200
        assert a.send("status")["calls"] == []
        assert b.send("status")["calls"] == []


def test_echo_test_returns_own_tone(server: RunningServer, tmp_path: Path) -> None:
    with start_agent(tmp_path, "anna") as a:
        _register(a, server, "201")
        a.send("play", file=str(write_tone_wav(tmp_path / "a.wav", TONE_201, 1.0)))
        a.send("call", uri="9000")
        a.wait_event("call_state", state="CONFIRMED")
        a.wait_event("media_active")
        (echoed,) = record_phase([a], tmp_path, "echo")
        assert mostly(heard(echoed, TONE_201)), "9000 does not echo the caller's tone"
        assert not any(heard(echoed, TONE_202))
        a.send("hangup")
        assert a.wait_event("call_state", state="DISCONNECTED")["code"] == 200


def test_callee_hangs_up_and_busy_callee(server: RunningServer, tmp_path: Path) -> None:
    with start_agent(tmp_path, "anna") as a, start_agent(tmp_path, "bram") as b:
        _register(a, server, "201")
        _register(b, server, "202")
        a.send("call", uri="202")
        b.wait_event("incoming_call")
        b.send("answer", code=200)
        a.wait_event("call_state", state="CONFIRMED")
        b.send("hangup")
        assert a.wait_event("call_state", state="DISCONNECTED")["code"] == 200

        a.send("call", uri="202")
        b.wait_event("incoming_call")
        b.send("hangup", code=486)
        assert a.wait_event("call_state", state="DISCONNECTED")["code"] == 486
