"""Toll fraud: an INVITE without credentials reaches nothing. Whatever it dials (a colleague, a
feature code, the echo test, a voicemail number, an outside number in any form), the PBX answers
with a digest challenge and nothing else: no phone rings, no call starts."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.component.sipp._phones import ANNA, BRAM, SIPP_MARKS, udp
from tests.support.server_process import RunningServer
from tests.support.sipp import (
    SippUser,
    free_port,
    run_scenario,
    start_scenario,
)

pytestmark = SIPP_MARKS

TARGETS = ("202", "*9*202*", "*1*202*", "9000", "9101", "0031201234567", "+31201234567", "00900")


def test_no_credentials_no_call_whatever_the_number(server: RunningServer, tmp_path: Path) -> None:
    remote = udp(server)
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
