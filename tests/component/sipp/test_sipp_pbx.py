"""SIPp against a started PBX on loopback: REGISTER with digest auth, a wrong password, a call
with BYE from each side, CANCEL while ringing, an unknown number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import SippUser, call_between, run_scenario, sipp_available

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]

ANNA = SippUser("201", "Demo-201!", "202")
BRAM = SippUser("202", "Demo-202!")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One PBX for the module: every test makes its own calls and registrations."""
    running = start_server(tmp_path_factory.mktemp("pbx"), demo=True)
    try:
        yield running
    finally:
        running.stop()


def _udp(server: RunningServer) -> tuple[str, int]:
    return ("127.0.0.1", server.sip_udp_port)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_register_with_auth(server: RunningServer, tmp_path: Path, transport: str) -> None:
    port = server.sip_udp_port if transport == "udp" else server.sip_tcp_port
    run_scenario(
        "register_auth", tmp_path, remote=("127.0.0.1", port), users=[ANNA], transport=transport
    ).check()


def test_register_with_wrong_password(server: RunningServer, tmp_path: Path) -> None:
    wrong = SippUser("201", "Demo-202!")
    run_scenario("register_wrong_password", tmp_path, remote=_udp(server), users=[wrong]).check()
    unknown = SippUser("299", "Demo-299!")
    run_scenario("register_wrong_password", tmp_path, remote=_udp(server), users=[unknown]).check()


def test_call_with_bye_from_caller(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(tmp_path, _udp(server), ANNA, BRAM)
    caller.check()
    callee.check()


def test_call_with_bye_from_callee(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(
        tmp_path, _udp(server), ANNA, BRAM, uac="uac_call_wait_bye", uas="uas_answer_then_bye"
    )
    caller.check()
    callee.check()


def test_cancel_while_ringing(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(
        tmp_path, _udp(server), ANNA, BRAM, uac="uac_cancel", uas="uas_cancelled"
    )
    caller.check()
    callee.check()


def test_unknown_number(server: RunningServer, tmp_path: Path) -> None:
    nobody = SippUser("201", "Demo-201!", "2999")
    run_scenario("uac_unknown_number", tmp_path, remote=_udp(server), users=[nobody]).check()
