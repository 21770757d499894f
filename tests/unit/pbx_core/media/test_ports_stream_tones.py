"""Port allocation, outgoing stream continuity, receive statistics and tone sources."""

from __future__ import annotations

import numpy as np
import pytest

from pbx_core.errors import MediaError
from pbx_core.media.ports import PortAllocator
from pbx_core.media.prompts import MusicOnHold
from pbx_core.media.rtcp import RtcpRrPacket, RtcpSdesPacket, RtcpSrPacket
from pbx_core.media.stream import OutgoingStream, ReceiveStats, build_report
from pbx_core.media.tones import AudioSource, Silence, ToneSource


def test_allocator_hands_out_even_ports_and_skips_busy_ones() -> None:
    ports = PortAllocator(20001, 20008)
    assert ports.allocate() == 20002
    assert ports.allocate(lambda port: port != 20004) == 20006
    assert ports.allocate() == 20004
    with pytest.raises(MediaError, match=r"^no free RTP port in 20001-20008$"):
        ports.allocate()
    ports.release(20004)
    assert ports.in_use == {20002, 20006}
    assert ports.allocate() == 20004


def test_allocator_refuses_bad_ranges() -> None:
    with pytest.raises(ValueError, match=r"^RTP port range 20001-20002 holds no even/odd pair$"):
        PortAllocator(20001, 20002)
    with pytest.raises(ValueError, match=r"^RTP port range 0-10 is invalid$"):
        PortAllocator(0, 10)


def test_outgoing_stream_is_continuous_across_switches() -> None:
    out = OutgoingStream(ssrc=7)
    first = [out.relayed(("a", 1), 100 + n, 1000 + 160 * n, n * 0.02) for n in range(3)]
    assert [switched for _, _, switched in first] == [True, False, False]
    seq0, ts0, _ = first[0]
    assert [(s - seq0) % 65536 for s, _, _ in first] == [0, 1, 2]
    assert [(t - ts0) % 2**32 for _, t, _ in first] == [0, 160, 320]

    gen = [out.generated("music", 160, 0.06 + n * 0.02) for n in range(2)]
    assert [switched for _, _, switched in gen] == [True, False]
    assert [(s - seq0) % 65536 for s, _, _ in gen] == [3, 4]
    assert [(t - ts0) % 2**32 for _, t, _ in gen] == [480, 640]

    # Another input stream with unrelated numbers, 1 s later.
    seq, ts, switched = out.relayed(("a", 2), 5, 99, 1.08)
    assert switched and (seq - seq0) % 65536 == 5
    assert (ts - ts0) % 2**32 == 640 + 8000
    out.reset_source()
    assert out.relayed(("a", 2), 6, 259, 1.1)[2] is True


def test_receive_stats_and_report() -> None:
    stats = ReceiveStats()
    assert stats.report(0.0) is None
    for n in (0, 1, 2, 4, 5):  # one lost
        stats.add(0xAB, 65534 + n, 160 * n, n * 0.02)
    block = stats.report(1.0)
    assert block is not None
    assert (block.ssrc, block.packets_lost, block.highest_sequence) == (0xAB, 1, 65536 + 3)
    assert block.fraction_lost == 256 // 6


def test_build_report_sender_and_receiver() -> None:
    out = OutgoingStream(ssrc=9)
    out.sent(160)
    stats = ReceiveStats()
    stats.add(5, 1, 0, 0.0)
    sr, sdes = build_report(out, stats, b"x@pbx", 1.0, 1_700_000_000.0, sender=True)
    assert isinstance(sr, RtcpSrPacket) and isinstance(sdes, RtcpSdesPacket)
    assert (sr.ssrc, sr.sender_info.packet_count, sr.sender_info.octet_count) == (9, 1, 160)
    assert sr.reports[0].ssrc == 5
    assert sdes.chunks[0].items == [(1, b"x@pbx")]
    rr, _ = build_report(out, stats, b"x@pbx", 2.0, 1_700_000_001.0, sender=False)
    assert isinstance(rr, RtcpRrPacket)


def peak_hz(pcm: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64)))
    return float(np.argmax(spectrum) * rate / len(pcm))


def test_tone_source_frames_join_and_follow_the_cadence() -> None:
    source = ToneSource(425, level_dbfs=-6, cadence=(0.1, 0.1))
    assert isinstance(source, AudioSource)
    frames = [source.read(160, 8000) for _ in range(20)]
    joined = np.concatenate(frames)
    assert peak_hz(joined[:800], 8000) == pytest.approx(425, abs=10)
    assert np.abs(joined[:800]).max() == pytest.approx(32767 * 10 ** (-6 / 20), rel=0.01)
    assert np.abs(joined[800:1600]).max() == 0  # the off part of the cadence
    with pytest.raises(
        ValueError, match=r"^tone cadence must be pairs of positive on/off seconds$"
    ):
        ToneSource(425, cadence=(1.0,))


def test_silence_and_music_on_hold() -> None:
    assert not Silence().read(160, 8000).any()
    music = MusicOnHold()
    pcm = np.concatenate([music.read(320, 16000) for _ in range(100)])  # 2 s at 16 kHz
    assert np.abs(pcm).max() > 3000  # clearly audible
    assert 100 < peak_hz(pcm, 16000) < 2000
