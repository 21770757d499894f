"""SIPp against a started PBX on loopback: REGISTER with digest auth, a wrong password, a call
with BYE from each side, CANCEL while ringing, an unknown number."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.component.sipp._phones import ANNA, BRAM, SIPP_MARKS, udp
from tests.support.server_process import RunningServer
from tests.support.sipp import SippUser, call_between, run_scenario

pytestmark = SIPP_MARKS


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_register_with_auth(server: RunningServer, tmp_path: Path, transport: str) -> None:
    port = server.sip_udp_port if transport == "udp" else server.sip_tcp_port
    run_scenario(
        "register_auth", tmp_path, remote=("127.0.0.1", port), users=[ANNA], transport=transport
    ).check()


def test_register_with_wrong_password(server: RunningServer, tmp_path: Path) -> None:
    wrong = SippUser("201", "Demo-202!")
    run_scenario("register_wrong_password", tmp_path, remote=udp(server), users=[wrong]).check()
    unknown = SippUser("299", "Demo-299!")
    run_scenario("register_wrong_password", tmp_path, remote=udp(server), users=[unknown]).check()


def test_call_with_bye_from_caller(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(tmp_path, udp(server), ANNA, BRAM)
    caller.check()
    callee.check()


def test_call_with_bye_from_callee(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(
        tmp_path, udp(server), ANNA, BRAM, uac="uac_call_wait_bye", uas="uas_answer_then_bye"
    )
    caller.check()
    callee.check()


def test_cancel_while_ringing(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(
        tmp_path, udp(server), ANNA, BRAM, uac="uac_cancel", uas="uas_cancelled"
    )
    caller.check()
    callee.check()


def test_unknown_number(server: RunningServer, tmp_path: Path) -> None:
    nobody = SippUser("201", "Demo-201!", "2999")
    run_scenario("uac_unknown_number", tmp_path, remote=udp(server), users=[nobody]).check()
