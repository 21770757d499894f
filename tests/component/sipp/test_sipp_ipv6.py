"""IPv6: the PBX bound to ::1, SIPp phones on ::1 register (UDP and TCP) and call each other
through it, with the media anchored on IPv6 (the PBX's SDP says ``c=IN IP6``)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.component.sipp._phones import ANNA, BRAM, SIPP_MARKS
from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import call_between, run_scenario


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


pytestmark = [
    *SIPP_MARKS,
    pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("pbx6"), demo=True, extra_args=("--bind", "::1"))
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_a_phone_registers_over_ipv6(server: RunningServer, tmp_path: Path, transport: str) -> None:
    result = run_scenario(
        "register_auth",
        tmp_path,
        remote=("::1", server.sip_udp_port),
        users=[BRAM],
        transport=transport,
        host="::1",
    ).check()
    assert "received=::1" in result.messages or "[::1]" in result.messages


def test_a_call_over_ipv6_with_media_anchored_on_ipv6(
    server: RunningServer, tmp_path: Path
) -> None:
    caller, callee = call_between(tmp_path, ("::1", server.sip_udp_port), ANNA, BRAM, host="::1")
    caller.check()
    callee.check()
    # what the PBX sent each phone (its offer to the callee, its answer to the caller) is its
    # own SDP on IPv6: origin and connection say IP6, and its RTP port is not the other phone's
    for log in (callee.messages, caller.messages):
        chunks = re.split(r"^-{10,}.*$", log, flags=re.M)  # one message each, sent or received
        received = [c for c in chunks if "message received" in c and "m=audio" in c]
        assert received, log
        sdp = received[0]
        assert re.search(r"^o=- \d+ \d+ IN IP6 ::1\s*$", sdp, re.M), sdp
        assert re.search(r"^c=IN IP6 ::1\s*$", sdp, re.M), sdp
    sent_ports = set(re.findall(r"^m=audio (\d+)", caller.messages + callee.messages, re.M))
    assert len(sent_ports) >= 3  # two phones' ports and the PBX's own on each leg
