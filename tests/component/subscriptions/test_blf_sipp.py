"""Desk phones played by SIPp against a started PBX. A BLF key subscribed to 202's dialog state
sees the lamp ring, go busy, show the hold and go idle across one call, then refreshes and ends
its subscription (scenario subscribe_dialog); a subscription that is not refreshed ends by
itself (subscribe_expiry); a phone watching what is no colleague's state is refused with 403
(subscribe_forbidden)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import (
    SippUser,
    call_between,
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
CHRIS_WATCHES_BRAM = SippUser("203", "Demo-203!", "202")
DANA_WATCHES_BRAM = SippUser("204", "Demo-204!", "202")
CHRIS_WATCHES_AN_OUTSIDE_NUMBER = SippUser("203", "Demo-203!", "0612345678")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("pbx"), demo=True)
    try:
        yield running
    finally:
        running.stop()


def _wait_for_text(path: Path, text: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}")


def test_blf_lamp_follows_ring_answer_hold_hangup(server: RunningServer, tmp_path: Path) -> None:
    remote = ("127.0.0.1", server.sip_udp_port)
    watch_dir = tmp_path / "watcher"
    with start_scenario(
        "subscribe_dialog", watch_dir, remote=remote, users=[CHRIS_WATCHES_BRAM], timeout_s=40
    ) as watcher:
        log = watch_dir / f"subscribe_dialog-{watcher.local_port}.messages.log"
        _wait_for_text(log, "NOTIFY sip:203@")  # subscribed: the idle lamp arrived
        caller, callee = call_between(
            tmp_path / "call",
            remote,
            ANNA,
            BRAM,
            uac="uac_call_hold_wait_bye",
            uas="uas_ring_answer_reinvite_bye",
        )
        caller.check()
        callee.check()
        result = watcher.wait()
    result.check()
    assert result.messages.count("Event: dialog") >= 7


def test_a_subscription_not_refreshed_ends_with_timeout(
    server: RunningServer, tmp_path: Path
) -> None:
    remote = ("127.0.0.1", server.sip_udp_port)
    result = run_scenario(
        "subscribe_expiry", tmp_path, remote=remote, users=[DANA_WATCHES_BRAM], timeout_s=30
    )
    result.check()
    assert "Subscription-State: terminated;reason=timeout" in result.messages


def test_a_watcher_outside_the_organisation_is_refused(
    server: RunningServer, tmp_path: Path
) -> None:
    remote = ("127.0.0.1", server.sip_udp_port)
    result = run_scenario(
        "subscribe_forbidden",
        tmp_path,
        remote=remote,
        users=[CHRIS_WATCHES_AN_OUTSIDE_NUMBER],
        timeout_s=20,
    )
    result.check()
    assert "SIP/2.0 403" in result.messages
    assert "NOTIFY sip:" not in result.messages
