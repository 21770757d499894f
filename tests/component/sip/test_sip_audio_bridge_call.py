"""A call whose local side runs through the audio bridge on loopback sound devices."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from sip.audio.bridge import AudioBridge
from sip.audio.loopback import LoopbackBackend, tone_source
from sip.config import AccountSettings, EngineConfig
from sip.engine import SipEngine
from sip.events import CallStateChanged, IncomingCall, MediaStateChanged
from tests.component.sip._sip_peer import EventLog, Peer
from tests.component.sip._sip_tones import band_level, read_wav, write_tone

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process]
CONFIG = EngineConfig(bound_address="127.0.0.1", log_level=0)


def test_microphone_reaches_the_remote_and_the_remote_reaches_the_speaker(
    tmp_path: Path,
) -> None:
    backend = LoopbackBackend(48000, tone_source(700.0))
    bridge = AudioBridge(backend, clock_rate=CONFIG.clock_rate, frame_ms=CONFIG.frame_ms)
    log = EventLog()
    peer = Peer(CONFIG)
    engine = SipEngine(log.add, CONFIG, audio=bridge)
    engine.start()
    try:
        assert engine.audio_available
        peer.request("add_account", AccountSettings(user="bob", server="127.0.0.1", register=False))
        engine.add_account(AccountSettings(user="alice", server="127.0.0.1", register=False))
        call = engine.call(f"sip:bob@127.0.0.1:{peer.sip_port}").result(5)
        incoming = peer.events.wait_for(lambda e: isinstance(e, IncomingCall))
        peer.request("play_wav", incoming.call_id, str(write_tone(tmp_path / "b.wav", 1100.0)))
        peer.request("answer", incoming.call_id)
        log.wait_for(lambda e: isinstance(e, MediaStateChanged) and e.call_id == call and e.active)
        assert bridge.in_use
        peer.request("start_recording", incoming.call_id, str(tmp_path / "heard.wav"))
        threading.Event().wait(0.8)
        peer.request("stop_recording", incoming.call_id)
        played = backend.played()
        engine.hangup(call).result(5)
        log.wait_for(
            lambda e: (
                isinstance(e, CallStateChanged) and e.call_id == call and e.state == "disconnected"
            )
        )
        deadline = time.monotonic() + 5
        while bridge.in_use and time.monotonic() < deadline:
            threading.Event().wait(0.05)
        assert not bridge.in_use
    finally:
        engine.close()
        peer.close()
    heard, rate = read_wav(tmp_path / "heard.wav")
    heard = heard[rate // 5 :]
    assert band_level(heard, rate, 700.0) > 0.05
    speaker = played[-24000:].astype(np.float64)
    assert band_level(speaker, 48000, 1100.0) > 0.05
    assert band_level(speaker, 48000, 700.0) < 0.01
