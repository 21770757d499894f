"""The adaptive jitter buffer: reorder, late and duplicate drops, concealment, adaptation."""

from __future__ import annotations

import numpy as np

from pbx_core.media.jitter import JitterBuffer


def _buffer() -> JitterBuffer[int]:
    """Frames are ints; a frame decodes to 4 samples of its own value."""
    return JitterBuffer(lambda n: np.full(4, n, dtype=np.int16), 4)


def _played(buffer: JitterBuffer[int], pulls: int) -> list[int]:
    return [int(buffer.pull()[0]) for _ in range(pulls)]


def test_frames_play_in_sequence_order_whatever_the_arrival_order() -> None:
    buffer = _buffer()
    for seq, arrival in ((3, 0.0), (1, 0.001), (2, 0.002), (4, 0.003)):
        buffer.put(seq, 160 * seq, 1000 + seq, arrival)
    assert _played(buffer, 4) == [1001, 1002, 1003, 1004]
    assert buffer.stats.played == 4


def test_sequence_numbers_wrap() -> None:
    buffer = _buffer()
    played = []
    for n, seq in enumerate((65534, 65535, 0, 1)):
        buffer.put(seq, 160 * n, 10 + n, 0.02 * n)
        played += _played(buffer, 1)
    assert played == [10, 11, 12, 13]


def test_late_and_duplicate_frames_are_dropped() -> None:
    buffer = _buffer()
    buffer.put(10, 0, 10, 0.0)
    assert _played(buffer, 1) == [10]
    buffer.put(12, 320, 12, 0.04)
    assert _played(buffer, 1) == [7]  # 11 is missing: 10 repeated at 3/4
    buffer.put(11, 160, 11, 0.05)  # its turn has passed
    buffer.put(12, 320, 12, 0.05)
    assert buffer.stats.late == 1 and buffer.stats.duplicate == 1
    assert _played(buffer, 1) == [12]


def test_loss_is_concealed_by_a_fading_repeat_then_silence() -> None:
    buffer = _buffer()
    buffer.put(1, 0, 1000, 0.0)
    assert _played(buffer, 1) == [1000]
    assert _played(buffer, 5) == [750, 500, 250, 0, 0]  # repeat and fade, then silence
    assert buffer.stats.concealed == 4  # then empty: silence while waiting to refill
    buffer.put(9, 1280, 9, 0.2)  # the stream comes back after the gap: refill, play on
    assert _played(buffer, 1) == [9]


def test_target_delay_grows_with_jitter_and_the_buffer_fills_to_it() -> None:
    steady = _buffer()
    for n in range(50):
        steady.put(n, 160 * n, n, 0.02 * n)
        steady.pull()
    assert steady.target_frames == 1
    rng = np.random.default_rng(7)
    jittery = _buffer()
    for n in range(200):
        jittery.put(n, 160 * n, n, 0.02 * n + float(rng.uniform(0, 0.06)))
    assert jittery.jitter > 0.01
    assert 3 <= jittery.target_frames <= JitterBuffer.MAX_FRAMES
    # After a burst far above the target the buffer drops the oldest frames to catch up.
    assert jittery.pull() is not None
    assert jittery.depth <= jittery.target_frames + 2
    assert jittery.stats.skipped > 0


def test_a_new_stream_starts_over() -> None:
    buffer = _buffer()
    buffer.put(100, 0, 1, 0.0, ssrc=1)
    assert _played(buffer, 1) == [1]
    buffer.put(5000, 0, 2, 0.02, ssrc=1)  # a jump far ahead: a restarted sender
    assert _played(buffer, 1) == [2]
    buffer.put(7, 0, 3, 0.04, ssrc=2)
    assert _played(buffer, 1) == [3]


def test_nothing_plays_before_the_first_frame() -> None:
    assert not _buffer().pull().any()
