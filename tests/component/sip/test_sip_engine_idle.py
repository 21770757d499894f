"""An idle engine keeps no pjmedia thread and sleeps; a call with media runs the bridge clock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sip.config import AccountSettings, EngineConfig
from sip.engine import SipEngine
from sip.events import CallStateChanged, IncomingCall, MediaStateChanged
from sip.types import SoundDevice
from tests.component.sip._sip_peer import EventLog, Peer

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process]
CONFIG = EngineConfig(bound_address="127.0.0.1", log_level=0)


def _threads() -> set[str]:
    """Names of this process's threads (pjmedia names its own "clock" and "media")."""
    names: set[str] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            names.add((task / "comm").read_text().strip())
        except OSError:
            continue
    return names


def _until(cond: Callable[[], bool], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_bridge_clock_runs_only_while_a_call_has_media() -> None:
    log = EventLog()
    peer = Peer(CONFIG)
    engine = SipEngine(log.add, CONFIG)
    engine.start()
    try:
        device: Callable[[], SoundDevice] = lambda: engine.sound_device().result(5)  # noqa: E731
        assert device() == "none"
        assert not {"clock", "media"} & _threads()
        peer.request("add_account", AccountSettings(user="bob", server="127.0.0.1", register=False))
        engine.add_account(AccountSettings(user="alice", server="127.0.0.1", register=False))
        call = engine.call(f"sip:bob@127.0.0.1:{peer.sip_port}").result(5)
        incoming = peer.events.wait_for(lambda e: isinstance(e, IncomingCall))
        assert device() == "none"  # ringing: no media yet
        peer.request("answer", incoming.call_id)
        log.wait_for(lambda e: isinstance(e, MediaStateChanged) and e.call_id == call and e.active)
        assert device() == "null"
        assert _until(lambda: "clock" in _threads())  # pjlib names a thread once it runs
        assert "media" not in _threads()  # RTP is read by the engine thread
        engine.hangup(call).result(5)
        log.wait_for(
            lambda e: (
                isinstance(e, CallStateChanged) and e.call_id == call and e.state == "disconnected"
            )
        )
        assert _until(lambda: device() == "none")
        assert _until(lambda: "clock" not in _threads())
    finally:
        engine.close()
        peer.close()


def test_an_idle_engine_wakes_about_once_a_second() -> None:
    engine = SipEngine(lambda e: None, CONFIG)
    engine.start()
    try:
        engine.add_account(
            AccountSettings(user="carol", server="127.0.0.1", register=False)
        ).result(5)
        time.sleep(1.5)  # the back-off doubles from 10 ms up to idle_poll_ms (1000 ms)
        before = engine.wakeups
        time.sleep(2.0)
        woke = engine.wakeups - before
        # a command wakes the engine at once, however long it sleeps
        assert engine.call_ids().result(5) == []
    finally:
        engine.close()
    assert woke <= 4, f"{woke} wake-ups in 2 s of idle"
