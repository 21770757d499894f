"""The SIPp scenarios themselves, checked before any PBX: against each other (caller against
callee, no server) and against a tiny digest-demanding responder (auth, 404, CANCEL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.digest_responder import DigestResponder
from tests.support.sipp import (
    SippError,
    SippUser,
    run_scenario,
    sipp_available,
    start_scenario,
)

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]

ANNA = SippUser("201", "Demo-201!", "202")


@pytest.fixture
def responder() -> Iterator[DigestResponder]:
    with DigestResponder({"201": "Demo-201!", "202": "Demo-202!"}, ring_only={"203"}) as r:
        yield r


def _server(r: DigestResponder) -> tuple[str, int]:
    return ("127.0.0.1", r.port)


def test_register_with_digest(responder: DigestResponder, tmp_path: Path) -> None:
    run_scenario("register_auth", tmp_path, remote=_server(responder), users=[ANNA]).check()
    assert responder.received == ["REGISTER", "REGISTER"]
    assert "sip:201@127.0.0.1:" in responder.bindings["201"]


def test_wrong_password_gets_403(responder: DigestResponder, tmp_path: Path) -> None:
    wrong = SippUser("201", "not-it")
    result = run_scenario(
        "register_wrong_password", tmp_path, remote=_server(responder), users=[wrong]
    )
    assert result.ok, result.describe()
    assert responder.bindings == {}
    failed = run_scenario("register_auth", tmp_path, remote=_server(responder), users=[wrong])
    assert failed.returncode != 0
    with pytest.raises(SippError, match="sipp register_auth exited with"):
        failed.check()


def test_call_with_challenge_and_bye(responder: DigestResponder, tmp_path: Path) -> None:
    run_scenario("uac_call_bye", tmp_path, remote=_server(responder), users=[ANNA]).check()
    assert responder.received == ["INVITE", "ACK", "INVITE", "ACK", "BYE"]


def test_unknown_number_gets_404(responder: DigestResponder, tmp_path: Path) -> None:
    nobody = SippUser("201", "Demo-201!", "299")
    run_scenario("uac_unknown_number", tmp_path, remote=_server(responder), users=[nobody]).check()
    assert responder.received == ["INVITE", "ACK", "INVITE", "ACK"]
    answered = run_scenario("uac_unknown_number", tmp_path, remote=_server(responder), users=[ANNA])
    assert answered.returncode != 0


def test_cancel_while_ringing(responder: DigestResponder, tmp_path: Path) -> None:
    ringing = SippUser("201", "Demo-201!", "203")
    run_scenario("uac_cancel", tmp_path, remote=_server(responder), users=[ringing]).check()
    assert responder.received == ["INVITE", "ACK", "INVITE", "CANCEL", "ACK"]


@pytest.mark.parametrize(
    ("uac", "uas"),
    [
        ("uac_call_bye", "uas_answer"),
        ("uac_call_wait_bye", "uas_answer_then_bye"),
        ("uac_cancel", "uas_cancelled"),
    ],
)
def test_caller_and_callee_scenarios_fit(uac: str, uas: str, tmp_path: Path) -> None:
    with start_scenario(uas, tmp_path, timeout_s=10) as callee:
        caller = run_scenario(
            uac, tmp_path, remote=("127.0.0.1", callee.local_port), users=[ANNA], timeout_s=10
        )
        callee_result = callee.wait()
    caller.check()
    callee_result.check()
    assert "SIP/2.0 200 OK" in callee_result.messages


def test_unknown_scenario_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^unknown SIPp scenario: nope$"):
        run_scenario("nope", tmp_path)
