"""Two SipEngines (this process and a child) call each other on loopback.

Audio is checked on recordings by FFT: each side plays its own tone, each
recording must hold the other side's tone; hold and mute silence it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sip.config import AccountSettings, EngineConfig
from sip.engine import SipEngine
from sip.errors import PjsuaError, UnknownCallError
from sip.events import CallStateChanged, DtmfReceived, IncomingCall, MediaStateChanged
from sip.types import CallId
from tests.component.sip._sip_peer import EventLog, Peer
from tests.component.sip._sip_tones import band_level, read_wav, write_tone

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process]

TONE_A = 700.0
TONE_B = 1100.0
PHASE_S = 0.6
CONFIG = EngineConfig(bound_address="127.0.0.1", log_level=0)


@pytest.fixture(scope="module")
def peer() -> Iterator[Peer]:
    p = Peer(CONFIG)
    p.request("add_account", AccountSettings(user="bob", server="127.0.0.1", register=False))
    yield p
    p.close()


@pytest.fixture(scope="module")
def alice() -> Iterator[tuple[SipEngine, EventLog]]:
    log = EventLog()
    engine = SipEngine(log.add, CONFIG)
    engine.start()
    engine.add_account(
        AccountSettings(user="alice", server="127.0.0.1", register=False, display_name="Alice")
    ).result(5)
    yield engine, log
    engine.close()


def _state(call_id: str, state: str) -> Any:
    return lambda e: isinstance(e, CallStateChanged) and e.call_id == call_id and e.state == state


def _media(call_id: str, **flags: bool) -> Any:
    def pred(e: Any) -> bool:
        return (
            isinstance(e, MediaStateChanged)
            and e.call_id == call_id
            and all(getattr(e, k) == v for k, v in flags.items())
        )

    return pred


def _record(engine_rec: Any, path: Path, settle_s: float = 0.1) -> tuple[float, float]:
    """Record one phase; return the (A tone, B tone) levels after ``settle_s`` of it."""
    engine_rec("start_recording", str(path))
    time.sleep(PHASE_S - 0.1 + settle_s)
    engine_rec("stop_recording")
    samples, rate = read_wav(path)
    middle = samples[int(rate * settle_s) :]
    return band_level(middle, rate, TONE_A), band_level(middle, rate, TONE_B)


def _connect(
    alice: tuple[SipEngine, EventLog], peer: Peer, tmp_path: Path
) -> tuple[CallId, CallId]:
    engine, log = alice
    before = len(peer.events.matching(lambda e: isinstance(e, IncomingCall)))
    a_call = engine.call(f"sip:bob@127.0.0.1:{peer.sip_port}").result(5)
    peer.events.wait_for(
        lambda e: (
            isinstance(e, IncomingCall)
            and len(peer.events.matching(lambda x: isinstance(x, IncomingCall))) > before
        )
    )
    incoming = peer.events.matching(lambda e: isinstance(e, IncomingCall))[-1]
    assert incoming.remote_display_name == "Alice"
    assert incoming.remote_uri == "sip:alice@127.0.0.1"
    log.wait_for(_state(a_call, "ringing"))
    peer.request("answer", incoming.call_id)
    log.wait_for(_state(a_call, "confirmed"))
    peer.events.wait_for(_state(incoming.call_id, "confirmed"))
    log.wait_for(_media(a_call, active=True))
    return a_call, incoming.call_id


def test_call_audio_hold_resume_dtmf_hangup(
    alice: tuple[SipEngine, EventLog], peer: Peer, tmp_path: Path
) -> None:
    engine, log = alice
    a_call, b_call = _connect(alice, peer, tmp_path)
    engine.play_wav(a_call, str(write_tone(tmp_path / "a.wav", TONE_A))).result(5)
    peer.request("play_wav", b_call, str(write_tone(tmp_path / "b.wav", TONE_B)))

    def a_rec(method: str, *args: Any) -> None:
        getattr(engine, method)(a_call, *args).result(5)

    def b_rec(method: str, *args: Any) -> None:
        peer.request(method, b_call, *args)

    # talking: each side hears the other's tone, not its own
    a_heard_a, a_heard_b = _record(a_rec, tmp_path / "a1.wav")
    b_heard_a, b_heard_b = _record(b_rec, tmp_path / "b1.wav")
    assert a_heard_b > 0.05 and a_heard_a < a_heard_b / 10
    assert b_heard_a > 0.05 and b_heard_b < b_heard_a / 10

    # hold: both directions go quiet
    engine.hold(a_call).result(5)
    log.wait_for(_media(a_call, held_by_us=True))
    peer.events.wait_for(_media(b_call, held_by_remote=True))
    _, a_heard_b = _record(a_rec, tmp_path / "a2.wav")
    b_heard_a, _ = _record(b_rec, tmp_path / "b2.wav")
    assert a_heard_b < 0.01
    assert b_heard_a < 0.01

    # resume: the tones come back
    engine.resume(a_call).result(5)
    log.wait_for(_media(a_call, active=True, held_by_us=False))
    peer.events.wait_for(_media(b_call, active=True, held_by_remote=False))
    _, a_heard_b = _record(a_rec, tmp_path / "a3.wav")
    b_heard_a, _ = _record(b_rec, tmp_path / "b3.wav")
    assert a_heard_b > 0.05
    assert b_heard_a > 0.05

    # mute: bob stops hearing alice, alice still hears bob
    engine.set_mute(a_call, True).result(5)
    log.wait_for(_media(a_call, active=True, muted=True))  # the mute is reported as an event
    _, a_heard_b = _record(a_rec, tmp_path / "a4.wav")
    b_heard_a, _ = _record(b_rec, tmp_path / "b4.wav")
    assert a_heard_b > 0.05
    assert b_heard_a < 0.01
    engine.set_mute(a_call, False).result(5)
    assert log.matching(_media(a_call))[-1].muted is False
    # bob hears about half a second of silence right after un-mute although RTP keeps
    # flowing (pjmedia's doing): judge the audio after it
    b_heard_a, _ = _record(b_rec, tmp_path / "b5.wav", settle_s=0.6)
    assert b_heard_a > 0.05

    # DTMF as RFC 4733 events, received in order by bob
    engine.send_dtmf(a_call, "12*#9").result(5)
    peer.events.wait_for(lambda e: isinstance(e, DtmfReceived) and e.digit == "9")
    digits = [e.digit for e in peer.events.matching(lambda e: isinstance(e, DtmfReceived))]
    assert "".join(digits) == "12*#9"

    # hang-up from alice ends both sides
    engine.hangup(a_call).result(5)
    ended = log.wait_for(_state(a_call, "disconnected"))
    peer_ended = peer.events.wait_for(_state(b_call, "disconnected"))
    assert peer_ended.code == 200 or ended.code == 200
    assert engine.call_ids().result(5) == []
    with pytest.raises(UnknownCallError, match="no call"):
        engine.hangup(a_call).result(5)


@pytest.mark.parametrize("code", [486, 603])
def test_decline_reaches_caller_with_code(
    alice: tuple[SipEngine, EventLog], peer: Peer, code: int
) -> None:
    engine, log = alice
    a_call = engine.call(f"sip:bob@127.0.0.1:{peer.sip_port}").result(5)
    b_call = peer.events.wait_for(
        lambda e: (
            isinstance(e, CallStateChanged)
            and e.incoming
            and e.state == "ringing"
            and not peer.events.matching(_state(e.call_id, "disconnected"))
        )
    ).call_id
    peer.request("decline", b_call, code)
    ended = log.wait_for(_state(a_call, "disconnected"))
    assert ended.code == code


def test_two_calls_at_once_and_cancel(alice: tuple[SipEngine, EventLog], peer: Peer) -> None:
    engine, log = alice
    first = engine.call(f"sip:bob@127.0.0.1:{peer.sip_port}").result(5)
    second = engine.call(f"sip:carol@127.0.0.1:{peer.sip_port}").result(5)
    log.wait_for(_state(first, "ringing"))
    log.wait_for(_state(second, "ringing"))
    assert sorted(engine.call_ids().result(5)) == sorted([first, second])
    engine.hangup(first).result(5)
    assert log.wait_for(_state(first, "disconnected")).code == 487
    engine.hangup(second).result(5)
    assert log.wait_for(_state(second, "disconnected")).code == 487


def test_bad_input_is_refused(alice: tuple[SipEngine, EventLog]) -> None:
    engine, _ = alice
    with pytest.raises(ValueError, match="call target must be a SIP URI: 'bob'"):
        engine.call("bob").result(5)
    with pytest.raises(UnknownCallError, match="no call 'call-999'"):
        engine.answer(CallId("call-999")).result(5)
    with pytest.raises(PjsuaError, match="INVITE failed"):
        engine.call("sip:bob@127.0.0.1:1;transport=sctp").result(5)
