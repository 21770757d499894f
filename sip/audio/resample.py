"""Streaming sample-rate conversion between a sound device and the bridge clock.

soxr keeps filter state across chunks, so a steady tone stays continuous. Its
"QQ" recipe (cubic) has no delay and emits output for every chunk; "LQ" and
better filter properly but release output in bursts of up to ~20 ms.
"""

from __future__ import annotations

import numpy as np
import soxr

from sip.audio.ringbuffer import Samples

__all__ = ["StreamResampler"]

_QUALITIES = ("QQ", "LQ", "MQ", "HQ", "VHQ")


class StreamResampler:
    """Chunk-by-chunk resampler; a pass-through when both rates are equal."""

    def __init__(self, in_rate: int, out_rate: int, quality: str = "QQ") -> None:
        if in_rate <= 0 or out_rate <= 0:
            raise ValueError("sample rates must be positive")
        if quality not in _QUALITIES:
            raise ValueError(f"quality must be one of {', '.join(_QUALITIES)}")
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = (
            None
            if in_rate == out_rate
            else soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32", quality=quality)
        )

    @property
    def passthrough(self) -> bool:
        return self._stream is None

    def process(self, chunk: Samples) -> Samples:
        """Convert one chunk; output length follows the rate ratio over time."""
        if self._stream is None:
            return chunk
        out = self._stream.resample_chunk(np.ascontiguousarray(chunk, dtype=np.float32))
        return np.asarray(out, dtype=np.float32).reshape(-1)

    def delay_ms(self) -> float:
        """The filter's current delay in milliseconds (0 for a pass-through)."""
        if self._stream is None:
            return 0.0
        return float(self._stream.delay()) * 1000.0 / self.out_rate
