"""Park from the lamp (X3): a SIPp BLF key on park slot 7001 lights up with the parked party
when 202 parks a call (blind transfer to 7000) and goes out when 203 dials 7001 to take it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.agent import Agent, start_agent
from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import SippUser, sipp_available, start_scenario

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.pjsua,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
]

DANA_WATCHES_SLOT = SippUser("204", "Demo-204!", "7001")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("pbx"), demo=True)
    try:
        yield running
    finally:
        running.stop()


def _register(phone: Agent, server: RunningServer, user: str) -> None:
    phone.send(
        "register", host="127.0.0.1", port=server.sip_udp_port, user=user, password=f"Demo-{user}!"
    )
    phone.wait_event("registered")


def _wait_for_text(path: Path, text: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}")


def test_park_slot_lamp_shows_the_parked_call(server: RunningServer, tmp_path: Path) -> None:
    remote = ("127.0.0.1", server.sip_udp_port)
    with (
        start_agent(tmp_path, "anna") as anna,
        start_agent(tmp_path, "bram") as bram,
        start_agent(tmp_path, "chris") as chris,
    ):
        for phone, user in ((anna, "201"), (bram, "202"), (chris, "203")):
            _register(phone, server, user)
        watch_dir = tmp_path / "watcher"
        with start_scenario(
            "subscribe_park_slot", watch_dir, remote=remote, users=[DANA_WATCHES_SLOT], timeout_s=40
        ) as watcher:
            log = watch_dir / f"subscribe_park_slot-{watcher.local_port}.messages.log"
            _wait_for_text(log, "NOTIFY sip:204@")  # subscribed: the slot's lamp is off
            placed = int(anna.send("call", uri="202")["call"])
            answered = int(bram.wait_event("incoming_call")["call"])
            bram.send("answer", call=answered)
            anna.wait_call_state(placed, "CONFIRMED")
            bram.send("transfer", call=answered, target="7000")
            bram.wait_call_state(answered, "DISCONNECTED", timeout=15)
            _wait_for_text(log, "<state>confirmed</state>")  # the lamp shows the parked call
            taking = int(chris.send("call", uri="7001")["call"])
            chris.wait_call_state(taking, "CONFIRMED", timeout=15)
            result = watcher.wait()
            chris.send("hangup", call=taking)
    result.check()
