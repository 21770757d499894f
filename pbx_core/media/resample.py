"""Stateful 2:1 and 1:2 sample-rate conversion between 8 kHz and 16 kHz frames.

Transcoding between G.711 and G.722 legs needs it; a windowed-sinc FIR keeps its tail between
frames so 20 ms frames join without clicks.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from pbx_core.media.codecs.base import Pcm

__all__ = ["Resampler"]

_TAPS = 31


def _lowpass() -> npt.NDArray[np.float64]:
    n = np.arange(_TAPS) - (_TAPS - 1) / 2
    taps = 0.5 * np.sinc(0.5 * n) * np.hamming(_TAPS)
    return np.asarray(taps / taps.sum(), dtype=np.float64)


_FILTER = _lowpass()


class Resampler:
    """Converts int16 frames from ``in_rate`` to ``out_rate`` (equal, or a factor of two)."""

    def __init__(self, in_rate: int, out_rate: int) -> None:
        if in_rate not in (out_rate, 2 * out_rate) and out_rate != 2 * in_rate:
            raise ValueError(f"cannot resample {in_rate} Hz to {out_rate} Hz")
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._tail = np.zeros(_TAPS - 1, dtype=np.float64)

    def _filter(self, samples: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        joined = np.concatenate([self._tail, samples])
        self._tail = joined[-(_TAPS - 1) :]
        return np.convolve(joined, _FILTER, mode="valid")

    def process(self, pcm: Pcm) -> Pcm:
        """Convert one frame; the output has exactly ``len(pcm) * out_rate / in_rate`` samples."""
        if self.in_rate == self.out_rate:
            return pcm
        samples = pcm.astype(np.float64)
        if self.out_rate > self.in_rate:
            stuffed = np.zeros(2 * len(samples), dtype=np.float64)
            stuffed[::2] = samples * 2.0
            out = self._filter(stuffed)
        else:
            out = self._filter(samples)[::2]
        return np.clip(np.rint(out), -32768, 32767).astype(np.int16)
