"""SIPp against a started PBX on loopback, SIP to the letter: a late offer with a session
timer and its refresh by UPDATE (RFC 3261 §13.2.1, RFC 4028, RFC 3311), hold by UPDATE, a
reliable 180 PRACKed (RFC 3262), an option tag we lack (precondition) refused with 420, a
session interval below Min-SE refused with 422, glare on a re-INVITE (491 both ways, the PBX's
retry after its back-off), and a phone registering the way stock Linphone does (Supported:
gruu, +sip.instance) that then takes a call."""

from __future__ import annotations

from pathlib import Path

from tests.component.sipp._phones import ANNA, BRAM, CHRIS, SIPP_MARKS, udp
from tests.support.server_process import RunningServer
from tests.support.sipp import (
    SippUser,
    call_between,
    free_port,
    run_scenario,
    start_scenario,
)

pytestmark = SIPP_MARKS


def test_late_offer_with_a_session_timer_refreshed_by_update(
    server: RunningServer, tmp_path: Path
) -> None:
    caller, callee = call_between(
        tmp_path, udp(server), ANNA, BRAM, uac="uac_late_offer_timer_bye", uas="uas_answer"
    )
    caller.check()
    callee.check()


def test_hold_by_update(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(
        tmp_path,
        udp(server),
        ANNA,
        BRAM,
        uac="uac_update_hold_wait_bye",
        uas="uas_ring_answer_reinvite_bye",
    )
    caller.check()
    callee.check()


def test_reliable_180_with_prack(server: RunningServer, tmp_path: Path) -> None:
    caller, callee = call_between(
        tmp_path, udp(server), ANNA, BRAM, uac="uac_100rel_bye", uas="uas_answer"
    )
    caller.check()
    callee.check()


def test_required_precondition_gets_420(server: RunningServer, tmp_path: Path) -> None:
    run_scenario("uac_refused_early", tmp_path, remote=udp(server), users=[ANNA]).check()


def test_session_interval_below_min_se_gets_422(server: RunningServer, tmp_path: Path) -> None:
    run_scenario("uac_session_too_brief", tmp_path, remote=udp(server), users=[ANNA]).check()


def test_glare_on_reinvite_gets_491_and_the_pbx_tries_again(
    server: RunningServer, tmp_path: Path
) -> None:
    caller, callee = call_between(
        tmp_path,
        udp(server),
        ANNA,
        BRAM,
        uac="uac_call_hold_wait_bye",
        uas="uas_glare_reinvite_bye",
        timeout_s=30.0,
    )
    caller.check()
    callee.check()


def test_a_phone_asking_for_a_gruu_registers_and_takes_a_call(
    server: RunningServer, tmp_path: Path
) -> None:
    port = free_port()
    run_scenario(
        "register_gruu", tmp_path, remote=udp(server), users=[CHRIS], local_port=port
    ).check()
    with start_scenario("uas_answer_then_bye", tmp_path, local_port=port) as waiting:
        caller = run_scenario(
            "uac_call_wait_bye",
            tmp_path,
            remote=udp(server),
            users=[SippUser("201", "Demo-201!", "203")],
        )
        callee = waiting.wait()
    caller.check()
    callee.check()
