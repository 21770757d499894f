"""Two pjsua2 agents call each other directly: proof that the agent, its controller and the tone
checks see real two-way audio, hold, resume, DTMF and hang-up (no PBX involved)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.agent import Agent, AgentError, start_agent
from tests.support.audio import read_wav, rms_dbfs, write_tone_wav
from tests.support.digest_responder import DigestResponder
from tests.support.listening import SETTLE_S, heard, mostly, record_phase
from tests.support.processes import pid_alive

pytestmark = pytest.mark.pjsua

TONE_A = 700.0
TONE_B = 1300.0


@pytest.fixture
def agents(tmp_path: Path) -> Iterator[tuple[Agent, Agent]]:
    with start_agent(tmp_path, "alice") as a, start_agent(tmp_path, "bob") as b:
        a.send("play", file=str(write_tone_wav(tmp_path / "a.wav", TONE_A, 1.0)))
        b.send("play", file=str(write_tone_wav(tmp_path / "b.wav", TONE_B, 1.0)))
        yield a, b


def _connect(a: Agent, b: Agent) -> None:
    a.send("call", uri=f"sip:bob@127.0.0.1:{b.sip_port}")
    incoming = b.wait_event("incoming_call")
    assert "alice@127.0.0.1" in incoming["from"]
    a.wait_event("call_state", state="EARLY", code=180)
    b.send("answer", code=200)
    a.wait_event("call_state", state="CONFIRMED")
    b.wait_event("call_state", state="CONFIRMED")
    assert a.wait_event("media_active")["codec"] == "PCMU"
    b.wait_event("media_active")


def test_two_way_audio_hold_resume_and_hang_up(agents: tuple[Agent, Agent], tmp_path: Path) -> None:
    a, b = agents
    _connect(a, b)

    a_talk, b_talk = record_phase([a, b], tmp_path, "talk")
    assert mostly(heard(a_talk, TONE_B)), "alice does not hear bob"
    assert mostly(heard(b_talk, TONE_A)), "bob does not hear alice"
    assert not any(heard(a_talk, TONE_A)), "alice hears her own tone"

    a.drain()
    b.drain()
    a.send("hold", mute=True)
    a.wait_event("media_state", status="LOCAL_HOLD")
    b.wait_event("media_state", status="REMOTE_HOLD")
    a_hold, b_hold = record_phase([a, b], tmp_path, "hold")
    assert not any(heard(b_hold, TONE_A)), "bob hears alice while held"
    assert not any(heard(a_hold, TONE_B)), "alice hears bob while holding"
    samples, rate = read_wav(b_hold)
    assert rms_dbfs(samples[round(SETTLE_S * rate) :]) < -50

    a.drain()
    b.drain()
    a.send("resume")
    a.wait_event("media_active")
    b.wait_event("media_active")
    a_back, b_back = record_phase([a, b], tmp_path, "resumed")
    assert mostly(heard(a_back, TONE_B)), "alice does not hear bob after resume"
    assert mostly(heard(b_back, TONE_A)), "bob does not hear alice after resume"

    a.send("hangup")
    assert a.wait_event("call_state", state="DISCONNECTED")["code"] == 200
    b.wait_event("call_state", state="DISCONNECTED")
    assert a.send("status")["calls"] == []
    assert b.send("status")["calls"] == []


def test_hold_without_mute_keeps_sending(agents: tuple[Agent, Agent], tmp_path: Path) -> None:
    """A holding pjsua phone goes on transmitting on `sendonly`; the PBX must block that."""
    a, b = agents
    _connect(a, b)
    a.drain()
    b.drain()
    a.send("hold")
    b.wait_event("media_state", status="REMOTE_HOLD")
    a_hold, b_hold = record_phase([a, b], tmp_path, "hold")
    assert mostly(heard(b_hold, TONE_A))
    assert not any(heard(a_hold, TONE_B))


def test_dtmf_and_hang_up_from_callee(agents: tuple[Agent, Agent]) -> None:
    a, b = agents
    _connect(a, b)
    a.send("send_dtmf", digits="4#")
    assert [b.wait_event("dtmf")["digit"] for _ in range(2)] == ["4", "#"]
    b.send("hangup")
    b.wait_event("call_state", state="DISCONNECTED")
    assert a.wait_event("call_state", state="DISCONNECTED")["code"] == 200


def test_rejected_call_reports_the_status(agents: tuple[Agent, Agent]) -> None:
    a, b = agents
    a.send("call", uri=f"sip:bob@127.0.0.1:{b.sip_port}")
    b.wait_event("incoming_call")
    b.send("hangup", code=486)
    ended = a.wait_event("call_state", state="DISCONNECTED")
    assert (ended["code"], ended["reason"]) == (486, "Busy Here")


def test_errors_are_reported_with_the_agent_log(agents: tuple[Agent, Agent]) -> None:
    a, _ = agents
    with pytest.raises(AgentError, match="hangup failed: name the call: 0 calls exist"):
        a.send("hangup")
    with pytest.raises(AgentError, match="unknown command: 'fly'"):
        a.send("fly")
    with pytest.raises(AgentError, match=r"no event incoming_call \(0.5 s passed\)") as info:
        a.wait_event("incoming_call", timeout=0.5)
    assert "alice.pjsua.log" in str(info.value)


def test_agent_dies_with_its_parent(tmp_path: Path) -> None:
    script = (
        "import os, sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
        "from tests.support.agent import Agent;"
        "a = Agent(Path(sys.argv[2]), 'orphan'); print(a.pid, flush=True); os._exit(3)"
    )
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", script, root, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 3, out.stderr
    pid = int(out.stdout)
    deadline = time.monotonic() + 15
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(pid), "the agent outlived its parent"
    assert "Traceback" not in (tmp_path / "orphan.stderr.log").read_text()


def test_agent_exits_on_stdin_eof_and_on_quit(tmp_path: Path) -> None:
    first = Agent(tmp_path, "first")
    assert first.close() == 0
    second = Agent(tmp_path, "second")
    assert second._proc.stdin is not None
    second._proc.stdin.close()
    assert second._proc.wait(10) == 0
    second.close()


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_register_with_digest_and_unregister(tmp_path: Path, algorithm: str) -> None:
    with (
        DigestResponder({"201": "Demo-201!"}, algorithm=algorithm) as registrar,
        start_agent(tmp_path, "anna") as agent,
    ):
        agent.send(
            "register", host="127.0.0.1", port=registrar.port, user="201", password="Demo-201!"
        )
        assert agent.wait_event("registered")["code"] == 200
        assert f"127.0.0.1:{agent.sip_port}" in registrar.bindings["201"]
        agent.send("unregister")
        assert agent.wait_event("unregistered")["code"] == 200
        assert registrar.bindings == {}


def test_closing_the_agent_unregisters(tmp_path: Path) -> None:
    with DigestResponder({"201": "Demo-201!"}) as registrar:
        with start_agent(tmp_path, "anna") as agent:
            agent.send(
                "register", host="127.0.0.1", port=registrar.port, user="201", password="Demo-201!"
            )
            agent.wait_event("registered")
            assert "201" in registrar.bindings
        assert registrar.bindings == {}


def test_register_with_wrong_password_fails(tmp_path: Path) -> None:
    with (
        DigestResponder({"201": "Demo-201!"}) as registrar,
        start_agent(tmp_path, "anna") as agent,
    ):
        agent.send("register", host="127.0.0.1", port=registrar.port, user="201", password="x")
        assert agent.wait_event("registration_failed")["code"] == 403
        assert registrar.bindings == {}
