"""Audio sources a leg can transmit: the ``AudioSource`` protocol, tones and silence.

A source is pulled by the engine's 20 ms ticker (``read(samples, rate)``) and must be cheap;
sources keep their own phase so consecutive frames join without clicks.  The WAV player
(``player.py``: prompts, music on hold) and the country tone plans (``tone_plans.py``)
build on the same protocol.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from pbx_core.media.codecs import Pcm

__all__ = ["AudioSource", "Silence", "ToneSource"]


def _to_pcm(samples: npt.NDArray[np.float64]) -> Pcm:
    pcm: Pcm = np.clip(np.rint(samples), -32768, 32767).astype(np.int16)
    return pcm


@runtime_checkable
class AudioSource(Protocol):
    """Something that produces mono int16 audio, one frame per call."""

    def read(self, samples: int, rate: int) -> Pcm:
        """The next ``samples`` samples at ``rate`` Hz."""
        ...


class Silence:
    """Digital silence (the phone still receives RTP, so NAT bindings and timers stay alive)."""

    def read(self, samples: int, rate: int) -> Pcm:
        return np.zeros(samples, dtype=np.int16)


class ToneSource:
    """One or more summed sine frequencies, optionally switched on and off by a cadence."""

    def __init__(
        self,
        freq_hz: float | Sequence[float],
        level_dbfs: float = -12.0,
        cadence: Sequence[float] = (),
    ) -> None:
        if level_dbfs > 0:
            raise ValueError("tone level must be 0 dBFS or lower")
        if len(cadence) % 2 or any(c <= 0 for c in cadence):
            raise ValueError("tone cadence must be pairs of positive on/off seconds")
        self.freqs = tuple(freq_hz) if isinstance(freq_hz, Sequence) else (float(freq_hz),)
        self.level_dbfs = level_dbfs
        self.cadence = tuple(cadence)
        self._amplitude = 32767 * 10 ** (level_dbfs / 20) / len(self.freqs)
        self._elapsed = 0.0  # seconds since the start, drives phase and cadence

    def _gate(self, times: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if not self.cadence:
            return np.ones_like(times)
        period = sum(self.cadence)
        position = np.mod(times, period)
        gate = np.zeros_like(times)
        start = 0.0
        for on, off in zip(self.cadence[0::2], self.cadence[1::2], strict=True):
            gate[(position >= start) & (position < start + on)] = 1.0
            start += on + off
        return gate

    def read(self, samples: int, rate: int) -> Pcm:
        times = self._elapsed + np.arange(samples) / rate
        self._elapsed += samples / rate
        wave = sum(np.sin(2 * math.pi * f * times) for f in self.freqs)
        out = np.asarray(wave, dtype=np.float64) * self._amplitude * self._gate(times)
        return _to_pcm(out)
