"""Smoke test of benchmarks/media_relay.py: one short step through the PBX's media engine.

No figures are checked (they depend on the machine); only that the load reaches the relay,
comes back with its stamps readable, that a conference room of real legs sends every party a
mix it can hear, and the ng protocol's bencode round-trips.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import media_relay  # noqa: E402
from _conference import level_dbfs, run_rooms, tone_frames  # noqa: E402
from _pbx_relay import default_loop  # noqa: E402
from _rtpengine import bdecode, bencode  # noqa: E402


def test_bencode_round_trip() -> None:
    value = {"command": b"offer", "flags": [b"a", 1], "sdp": b"v=0\r\n"}
    assert bdecode(bencode(value)) == value


def test_one_step_through_the_media_engine() -> None:
    with media_relay.phone_sockets() as phones:
        pbx = media_relay.PbxSubject(default_loop(), "engine", media_relay.free_range(64))
        try:
            step = media_relay.run_step(pbx, phones, calls=4, warm_s=0.2, seconds=1.0)
        finally:
            pbx.stop()
    assert step.calls == 4
    assert step.load.expected == 4 * 2 * 50
    assert step.load.received > 0
    assert step.load.delay_p50_ms >= 0


def test_party_tone_is_audible() -> None:
    frames = tone_frames("PCMU", 400.0)
    assert len(frames) == 50
    assert all(len(frame) == 160 for frame in frames)
    assert -30 < level_dbfs("PCMU", frames) < -20
    assert level_dbfs("PCMU", [b"\xff" * 160]) < -60  # PCMU silence


def test_a_room_sends_every_party_a_mix_it_hears() -> None:
    pbx = media_relay.PbxSubject("asyncio", "engine", media_relay.free_range(64))
    try:
        step = run_rooms(pbx, rooms=1, size=3, codec="PCMU", warm_s=0.3, seconds=1.2, loadavg="")
    finally:
        pbx.stop()
    assert step.parties == 3
    assert step.sent == 3 * 75
    assert step.engine_received > 0
    assert step.mixed_received > 0
    assert step.silent == 0
