"""Call flows through the started PBX with pjsua2 phones: refusal, call waiting, TCP, shutdown.

(Audio, hold and the echo test are checked by tone in ``tests/component/test_pbx_calls.py``.)
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.agent import Agent
from tests.support.server_process import RunningServer, start_server

pytestmark = pytest.mark.pjsua


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path, demo=True)
    yield running
    running.stop()


def _phone(tmp_path: Path, server: RunningServer, ext: str, transport: str = "udp") -> Agent:
    agent = Agent(tmp_path, f"phone{ext}")
    agent.send(
        "register",
        host="127.0.0.1",
        port=server.sip_udp_port if transport == "udp" else server.sip_tcp_port,
        transport=transport,
        user=ext,
        password=f"Demo-{ext}!",
    )
    agent.wait_event("registered", code=200)
    return agent


def _uri(server: RunningServer, ext: str) -> str:
    return f"sip:{ext}@127.0.0.1:{server.sip_udp_port}"


def test_refused_call_gives_busy(server: RunningServer, tmp_path: Path) -> None:
    with _phone(tmp_path, server, "201") as anna, _phone(tmp_path, server, "202") as bram:
        anna.send("call", uri=_uri(server, "202"))
        bram.wait_event("incoming_call")
        anna.wait_event("call_state", state="EARLY", code=180)
        bram.send("answer", code=486)
        ended = anna.wait_event("call_state", state="DISCONNECTED")
        assert ended["code"] == 486


def test_declined_call_reaches_the_caller_as_603(server: RunningServer, tmp_path: Path) -> None:
    with _phone(tmp_path, server, "201") as anna, _phone(tmp_path, server, "202") as bram:
        anna.send("call", uri=_uri(server, "202"))
        bram.wait_event("incoming_call")
        anna.wait_event("call_state", state="EARLY", code=180)
        bram.send("answer", code=603)
        ended = anna.wait_event("call_state", state="DISCONNECTED")
        assert ended["code"] == 603  # not folded into 486 Busy Here


def test_second_call_to_a_busy_user_rings(server: RunningServer, tmp_path: Path) -> None:
    with (
        _phone(tmp_path, server, "201") as anna,
        _phone(tmp_path, server, "202") as bram,
        _phone(tmp_path, server, "203") as chris,
    ):
        anna.send("call", uri=_uri(server, "202"))
        first = bram.wait_event("incoming_call")
        bram.send("answer", call=first["call"], code=200)
        anna.wait_event("call_state", state="CONFIRMED")

        chris.send("call", uri=_uri(server, "202"))
        second = bram.wait_event("incoming_call")
        assert "203" in second["from"] and second["call"] != first["call"]
        chris.wait_event("call_state", state="EARLY", code=180)
        chris.send("hangup")
        chris.wait_event("call_state", state="DISCONNECTED")
        bram.wait_event("call_state", call=second["call"], state="DISCONNECTED")
        assert anna.send("status")["calls"], "the first call must go on"


def test_call_over_tcp(server: RunningServer, tmp_path: Path) -> None:
    with (
        _phone(tmp_path, server, "201", "tcp") as anna,
        _phone(tmp_path, server, "202", "tcp") as bram,
    ):
        anna.send("call", uri=f"sip:202@127.0.0.1:{server.sip_tcp_port};transport=tcp")
        bram.wait_event("incoming_call")
        bram.send("answer", code=200)
        anna.wait_event("call_state", state="CONFIRMED")
        bram.wait_event("call_state", state="CONFIRMED")
        bram.send("hangup")
        anna.wait_event("call_state", state="DISCONNECTED")


def test_sigterm_ends_calls_with_bye(server: RunningServer, tmp_path: Path) -> None:
    with _phone(tmp_path, server, "201") as anna, _phone(tmp_path, server, "202") as bram:
        anna.send("call", uri=_uri(server, "202"))
        bram.wait_event("incoming_call")
        bram.send("answer", code=200)
        anna.wait_event("call_state", state="CONFIRMED")
        bram.wait_event("call_state", state="CONFIRMED")
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(10) == 0
        # A BYE from the PBX ends the call normally; without it pjsua would wait for RTP timeout.
        assert anna.wait_event("call_state", state="DISCONNECTED", timeout=5)["code"] == 200
        assert bram.wait_event("call_state", state="DISCONNECTED", timeout=5)["code"] == 200
