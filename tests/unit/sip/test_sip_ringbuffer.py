from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from sip.audio.ringbuffer import RingBuffer


def test_wraps_around_and_keeps_order() -> None:
    ring = RingBuffer(5)
    out = np.zeros(3, dtype=np.float32)
    for start in range(0, 30, 3):
        assert ring.write(np.arange(start, start + 3, dtype=np.float32)) == 3
        assert ring.read_into(out) == 3
        assert out.tolist() == [start, start + 1, start + 2]
    assert ring.overruns == 0 and ring.underruns == 0


def test_full_ring_drops_the_tail_and_counts_an_overrun() -> None:
    ring = RingBuffer(4)
    assert ring.write(np.arange(6, dtype=np.float32)) == 4
    assert ring.overruns == 1
    out = np.zeros(4, dtype=np.float32)
    ring.read_into(out)
    assert out.tolist() == [0, 1, 2, 3]


def test_short_read_zero_fills_and_counts_an_underrun() -> None:
    ring = RingBuffer(8)
    ring.write(np.array([1, 2], dtype=np.float32))
    out = np.full(4, 9, dtype=np.float32)
    assert ring.read_into(out) == 2
    assert out.tolist() == [1, 2, 0, 0]
    assert ring.underruns == 1
    assert ring.available() == 0


def test_skip_drops_oldest() -> None:
    ring = RingBuffer(8)
    ring.write(np.arange(6, dtype=np.float32))
    assert ring.skip(4) == 4
    out = np.zeros(2, dtype=np.float32)
    ring.read_into(out)
    assert out.tolist() == [4, 5]


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="ring capacity must be at least 1 sample"):
        RingBuffer(0)


def test_two_threads_pass_every_sample_in_order() -> None:
    ring = RingBuffer(257)
    total = 30_000
    received: list[np.ndarray] = []

    def produce() -> None:
        sent = 0
        while sent < total:
            chunk = np.arange(sent, min(sent + 97, total), dtype=np.float32)
            written = ring.write(chunk[: ring.free()])
            sent += written
            if not written:
                time.sleep(0.0001)

    def consume() -> None:
        got = 0
        while got < total:
            n = min(ring.available(), 64)
            if n:
                out = np.zeros(n, dtype=np.float32)
                ring.read_into(out)
                received.append(out)
                got += n
            else:
                time.sleep(0.0001)

    threads = [threading.Thread(target=produce), threading.Thread(target=consume)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    data = np.concatenate(received)
    assert np.array_equal(data, np.arange(total, dtype=np.float32))
    assert ring.overruns == 0 and ring.underruns == 0
