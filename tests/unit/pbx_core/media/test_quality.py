"""Per-leg quality figures: round trip from LSR/DLSR (RFC 3550 §6.4.1) and the E-model MOS."""

from __future__ import annotations

import pytest

from pbx_core.media.quality import mos_estimate, ntp_middle, round_trip_seconds
from pbx_core.media.stream import OutgoingStream


def test_round_trip_is_arrival_less_lsr_less_dlsr() -> None:
    sent = ntp_middle(1_700_000_000.0)
    arrival = ntp_middle(1_700_000_000.25)
    assert round_trip_seconds(sent, int(0.05 * 65536), arrival) == pytest.approx(0.2, abs=1e-4)
    assert round_trip_seconds(0, 0, arrival) is None  # the peer has no SR of ours yet
    assert round_trip_seconds(arrival, int(0.5 * 65536), arrival) is None  # nonsense


def test_mos_falls_with_loss_delay_and_jitter() -> None:
    perfect = mos_estimate(20.0, 1.0, 0.0)
    assert 4.3 < perfect <= 4.5
    assert mos_estimate(20.0, 1.0, 0.05) < perfect - 0.5
    assert mos_estimate(600.0, 1.0, 0.0) < perfect - 0.3
    assert mos_estimate(20.0, 80.0, 0.0) < perfect
    assert mos_estimate(None, 0.0, 1.0) < 1.5  # everything lost


def test_event_packets_share_a_timestamp_and_audio_after_them_switches() -> None:
    out = OutgoingStream(ssrc=1)
    seq0, ts0, _ = out.generated("music", 160, 0.0)
    seq1, ts1 = out.event(True, 0.02)
    seq2, ts2 = out.event(False, 0.04)
    assert (seq1, seq2) == ((seq0 + 1) % 65536, (seq0 + 2) % 65536)
    assert ts1 == (ts0 + 160) % 2**32 and ts2 == ts1
    _, ts3, switched = out.generated("music", 160, 0.06)
    assert switched and ts3 == (ts2 + 160) % 2**32
