"""Toll fraud: an INVITE without credentials reaches nothing. Whatever it dials (a colleague, a
feature code, the echo test, a voicemail number, an outside number in any form), the PBX answers
with a digest challenge and nothing else: no phone rings, no call starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import (
    SippUser,
    free_port,
    run_scenario,
    sipp_available,
    start_scenario,
)

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]

ANNA = SippUser("201", "Demo-201!", "202")
BRAM = SippUser("202", "Demo-202!")
TARGETS = ("202", "*9*202*", "*1*202*", "9000", "9101", "0031201234567", "+31201234567", "00900")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("pbx-fraud"), demo=True)
    try:
        yield running
    finally:
        running.stop()


def test_no_credentials_no_call_whatever_the_number(server: RunningServer, tmp_path: Path) -> None:
    remote = ("127.0.0.1", server.sip_udp_port)
    port = free_port()
    run_scenario("register_auth", tmp_path, remote=remote, users=[BRAM], local_port=port).check()
    with start_scenario("uas_answer", tmp_path, local_port=port, timeout_s=30) as bram_phone:
        for target in TARGETS:
            stranger = SippUser("201", "", target)  # Anna's number in From, no password
            result = run_scenario("uac_no_credentials", tmp_path, remote=remote, users=[stranger])
            result.check()
            assert "SIP/2.0 180" not in result.messages and "SIP/2.0 200" not in result.messages
        # the control: Anna with her password does reach Bram's phone
        run_scenario("uac_call_bye", tmp_path, remote=remote, users=[ANNA]).check()
        rung = bram_phone.wait().check()
    assert rung.messages.count("INVITE sip:") == 1  # the one call with credentials, no other
    with httpx.Client(base_url=server.base_url, timeout=10) as api:
        token = api.post("/api/v1/auth/login", json={"username": "201", "password": "Demo-201!"})
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        calls = api.get("/api/v1/calls", headers=headers).json()
    assert len(calls) == 1  # only that call left a record
