"""Call control between two real SipEngines on loopback: blind transfer, conference, quality.

Alice (this process) and Bob (a child process) call each other directly. pjsua on Bob's side
accepts a REFER by itself (RFC 3515): it calls the target, copies ``Referred-By`` into that
INVITE and reports progress in NOTIFYs, so the transferor's events can be checked without a
PBX. The conference test judges audio by FFT of a recording.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sip.config import AccountSettings, EngineConfig
from sip.engine import SipEngine
from sip.errors import UnknownCallError
from sip.events import (
    CallQuality,
    CallStateChanged,
    ConferenceChanged,
    IncomingCall,
    MediaStateChanged,
    TransferProgress,
)
from sip.types import CallId
from tests.component.sip._sip_peer import EventLog, Peer
from tests.component.sip._sip_tones import band_level, read_wav, write_tone

# Engines of their own process (tests/support/own_process.py): pjsua2 refuses or aborts a new
# engine after others have come and gone in one process.
pytestmark = [pytest.mark.pjsua, pytest.mark.own_process]

CONFIG = EngineConfig(bound_address="127.0.0.1", log_level=0)
TONE = 900.0


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


def _connect(alice: tuple[SipEngine, EventLog], peer: Peer) -> tuple[CallId, CallId]:
    """Alice calls Bob, Bob answers; both calls' ids once the media is up."""
    engine, log = alice
    seen = {e.call_id for e in peer.events.matching(lambda e: isinstance(e, IncomingCall))}
    a_call = engine.call(f"sip:bob@127.0.0.1:{peer.sip_port}").result(5)
    incoming = peer.events.wait_for(lambda e: isinstance(e, IncomingCall) and e.call_id not in seen)
    peer.request("answer", incoming.call_id)
    log.wait_for(_state(a_call, "confirmed"))
    log.wait_for(lambda e: isinstance(e, MediaStateChanged) and e.call_id == a_call and e.active)
    return a_call, incoming.call_id


def test_blind_transfer_reports_progress_and_hangs_up(
    alice: tuple[SipEngine, EventLog], peer: Peer
) -> None:
    engine, log = alice
    a_call, b_call = _connect(alice, peer)
    seen = {e.call_id for e in log.matching(lambda e: isinstance(e, IncomingCall))}
    # Bob is referred to "carol", who is Alice's own engine under another user name
    engine.transfer(a_call, f"sip:carol@127.0.0.1:{engine.sip_port}").result(5)
    referred = log.wait_for(lambda e: isinstance(e, IncomingCall) and e.call_id not in seen)
    assert referred.referred_by == "sip:alice@127.0.0.1"
    assert referred.remote_uri == "sip:bob@127.0.0.1"
    first = log.wait_for(lambda e: isinstance(e, TransferProgress) and e.call_id == a_call)
    assert first.stage in ("trying", "accepted")
    engine.answer(referred.call_id).result(5)
    done = log.wait_for(
        lambda e: (
            isinstance(e, TransferProgress)
            and e.call_id == a_call
            and e.stage in ("succeeded", "failed")
        )
    )
    assert (done.stage, done.code) == ("succeeded", 200)
    log.wait_for(_state(a_call, "disconnected"))  # handed over: the engine hung up
    # Bob's engine lists the call it placed for the REFER as a new call of its own
    peer.events.wait_for(
        lambda e: (
            isinstance(e, CallStateChanged)
            and e.call_id != b_call
            and e.remote_uri.startswith("sip:carol@")
            and e.state == "confirmed"
        )
    )
    peer.events.wait_for(_state(b_call, "disconnected"))
    engine.hangup(referred.call_id).result(5)
    log.wait_for(_state(referred.call_id, "disconnected"))


def test_blind_transfer_declined_fails_and_keeps_the_call(
    alice: tuple[SipEngine, EventLog], peer: Peer
) -> None:
    engine, log = alice
    a_call, _b_call = _connect(alice, peer)
    seen = {e.call_id for e in log.matching(lambda e: isinstance(e, IncomingCall))}
    engine.transfer(a_call, f"sip:carol@127.0.0.1:{engine.sip_port}").result(5)
    referred = log.wait_for(lambda e: isinstance(e, IncomingCall) and e.call_id not in seen)
    engine.decline(referred.call_id, 603).result(5)
    failed = log.wait_for(
        lambda e: isinstance(e, TransferProgress) and e.call_id == a_call and e.stage == "failed"
    )
    assert (failed.code, failed.reason) == (603, "Decline")
    assert a_call in engine.call_ids().result(5)  # the call stays as it was
    engine.hangup(a_call).result(5)
    log.wait_for(_state(a_call, "disconnected"))


def test_conference_mixes_two_calls_and_quality_is_reported(
    alice: tuple[SipEngine, EventLog], peer: Peer, tmp_path: Path
) -> None:
    engine, log = alice
    a1, b1 = _connect(alice, peer)
    a2, b2 = _connect(alice, peer)
    peer.request("play_wav", b1, str(write_tone(tmp_path / "tone.wav", TONE)))

    def heard_on_b2(name: str) -> float:
        path = tmp_path / name
        peer.request("start_recording", b2, str(path))
        time.sleep(0.6)
        peer.request("stop_recording", b2)
        samples, rate = read_wav(path)
        return band_level(samples[int(rate * 0.1) :], rate, TONE)

    assert heard_on_b2("before.wav") < 0.01  # two separate calls
    engine.conference([a1, a2]).result(5)
    log.wait_for(lambda e: isinstance(e, ConferenceChanged) and set(e.call_ids) == {a1, a2})
    assert heard_on_b2("merged.wav") > 0.05  # b1's tone crosses alice's bridge into b2
    engine.split(a2).result(5)
    log.wait_for(lambda e: isinstance(e, ConferenceChanged) and e.call_ids == ())
    assert heard_on_b2("split.wav") < 0.01
    with pytest.raises(UnknownCallError):
        engine.conference([a1, CallId("call-none")]).result(5)

    quality = log.wait_for(lambda e: isinstance(e, CallQuality) and e.call_id == a1)
    assert quality.loss_percent == 0.0 and quality.mos >= 4.0  # loopback: no loss, no delay

    for call in (a1, a2):
        engine.hangup(call).result(5)
        log.wait_for(_state(call, "disconnected"))


def test_attended_transfer_replaces_the_consult_call(
    alice: tuple[SipEngine, EventLog], peer: Peer
) -> None:
    """Alice talks to Bob and consults "carol" (her own engine under another name); the REFER
    with Replaces makes Bob call carol with ``Replaces`` naming the consult dialog: carol's
    side of it is replaced by Bob's new call, and both of Alice's calls end."""
    engine, log = alice
    to_bob, _b_call = _connect(alice, peer)
    engine.hold(to_bob).result(5)
    seen = {e.call_id for e in log.matching(lambda e: isinstance(e, IncomingCall))}
    consult = engine.call(f"sip:carol@127.0.0.1:{engine.sip_port}").result(5)
    at_carol = log.wait_for(lambda e: isinstance(e, IncomingCall) and e.call_id not in seen)
    engine.answer(at_carol.call_id).result(5)
    log.wait_for(_state(consult, "confirmed"))
    seen.add(at_carol.call_id)

    engine.transfer_replaces(to_bob, consult).result(5)
    done = log.wait_for(
        lambda e: (
            isinstance(e, TransferProgress)
            and e.call_id == to_bob
            and e.stage in ("succeeded", "failed")
        )
    )
    assert done.stage == "succeeded"
    replacing = log.wait_for(lambda e: isinstance(e, IncomingCall) and e.call_id not in seen)
    assert replacing.remote_uri == "sip:bob@127.0.0.1"  # Bob's INVITE with Replaces
    for call in (to_bob, consult, at_carol.call_id):  # the transferor is out of both calls
        log.wait_for(_state(call, "disconnected"))
    engine.hangup(replacing.call_id).result(5)
    log.wait_for(_state(replacing.call_id, "disconnected"))
