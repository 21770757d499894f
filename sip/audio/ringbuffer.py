"""A single-producer, single-consumer ring of float32 samples without locks.

One thread writes (a PortAudio callback or pjmedia's clock thread), one thread
reads. Each side only advances its own counter, after copying the samples, and
Python makes a single attribute store atomic, so neither side ever waits.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["RingBuffer", "Samples"]

Samples = npt.NDArray[np.float32]


class RingBuffer:
    """Bounded SPSC sample queue; a full ring drops the newest samples (an overrun)."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("ring capacity must be at least 1 sample")
        self._buf: Samples = np.zeros(capacity, dtype=np.float32)
        self._cap = capacity
        self._written = 0  # advanced by the producer only
        self._read = 0  # advanced by the consumer only
        self.overruns = 0  # writes that did not fit (their tail was dropped)
        self.underruns = 0  # reads that found fewer samples than asked for

    @property
    def capacity(self) -> int:
        return self._cap

    def available(self) -> int:
        """Samples ready to read."""
        return self._written - self._read

    def free(self) -> int:
        return self._cap - (self._written - self._read)

    def write(self, samples: Samples) -> int:
        """Append what fits; a write that does not fit counts one overrun. Producer side."""
        n = min(len(samples), self.free())
        if n < len(samples):
            self.overruns += 1
        start = self._written % self._cap
        first = min(n, self._cap - start)
        self._buf[start : start + first] = samples[:first]
        self._buf[: n - first] = samples[first:n]
        self._written += n
        return n

    def read_into(self, out: Samples) -> int:
        """Fill ``out`` from the ring; a short read zeroes the rest and counts one underrun."""
        n = min(len(out), self.available())
        start = self._read % self._cap
        first = min(n, self._cap - start)
        out[:first] = self._buf[start : start + first]
        out[first:n] = self._buf[: n - first]
        if n < len(out):
            out[n:] = 0.0
            self.underruns += 1
        self._read += n
        return n

    def skip(self, count: int) -> int:
        """Drop up to ``count`` of the oldest samples (to cut latency). Consumer side."""
        n = min(count, self.available())
        self._read += n
        return n
