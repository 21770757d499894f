"""The app's SIP engine reaches a PBX over TLS and talks SRTP (what the app does with a server on
another computer that offers ``sip_tls``; app.controllers.session.sip_route).

A demo PBX (``python -m server``) on loopback; the engine registers 201 on its TLS port and
calls the echo test (9000). SRTP is mandatory on the engine's side, so a tone that comes back
(found by FFT in the call's recording) has crossed both legs encrypted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sip.config import AccountSettings, EngineConfig
from sip.engine import SipEngine
from sip.events import CallStateChanged, MediaStateChanged, RegistrationChanged
from tests.component.sip._sip_peer import EventLog
from tests.component.sip._sip_tones import band_level, read_wav, write_tone
from tests.support.server_process import RunningServer, start_server

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process]

TONE = 900.0


@pytest.fixture
def pbx(tmp_path: Path) -> Iterator[RunningServer]:
    server = start_server(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def test_register_and_call_over_tls_with_srtp(pbx: RunningServer, tmp_path: Path) -> None:
    tls_port = int(pbx.ready["sip_tls"])
    assert tls_port > 0
    log = EventLog()
    engine = SipEngine(log.add, EngineConfig(bound_address="127.0.0.1", log_level=0))
    engine.start()
    try:
        settings = AccountSettings(
            user="201", server="127.0.0.1", port=tls_port, transport="tls", password="Demo-201!"
        )
        engine.add_account(settings).result(5)
        log.wait_for(lambda e: isinstance(e, RegistrationChanged) and e.registered, 15)

        call = engine.call(settings.uri_for("9000")).result(5)

        def confirmed(e: Any) -> bool:
            return isinstance(e, CallStateChanged) and e.call_id == call and e.state == "confirmed"

        def active(e: Any) -> bool:
            return isinstance(e, MediaStateChanged) and e.call_id == call and e.active

        log.wait_for(confirmed, 15)
        log.wait_for(active, 15)
        engine.play_wav(call, str(write_tone(tmp_path / "tone.wav", TONE))).result(5)
        time.sleep(0.5)
        engine.start_recording(call, str(tmp_path / "heard.wav")).result(5)
        time.sleep(1.2)
        engine.stop_recording(call).result(5)
        samples, rate = read_wav(tmp_path / "heard.wav")
        assert band_level(samples[rate // 5 :], rate, TONE) > 0.05, "the echo came back"
        engine.hangup(call).result(5)
    finally:
        engine.close()
