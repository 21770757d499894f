"""Audio sources a leg can transmit: tones, silence and the music-on-hold placeholder.

A source is pulled by the engine's 20 ms ticker (``read(samples, rate)``) and must be cheap;
sources keep their own phase so consecutive frames join without clicks.  WAV players of a
later issue implement the same ``AudioSource`` protocol.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from pbx_core.media.codecs import Pcm

__all__ = ["AudioSource", "MusicOnHold", "Silence", "ToneSource"]


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


class MusicOnHold:
    """A gentle repeating arpeggio (C major, 0.4 s notes, a pause) until WAV music arrives."""

    NOTES_HZ = (523.25, 659.25, 783.99, 659.25)
    NOTE_SECONDS = 0.4
    PAUSE_SECONDS = 0.8

    def __init__(self, level_dbfs: float = -16.0) -> None:
        self._amplitude = 32767 * 10 ** (level_dbfs / 20)
        self._elapsed = 0.0

    def read(self, samples: int, rate: int) -> Pcm:
        times = self._elapsed + np.arange(samples) / rate
        self._elapsed += samples / rate
        period = len(self.NOTES_HZ) * self.NOTE_SECONDS + self.PAUSE_SECONDS
        position = np.mod(times, period)
        index = np.minimum((position // self.NOTE_SECONDS).astype(int), len(self.NOTES_HZ))
        freqs = np.array([*self.NOTES_HZ, 0.0])[index]
        within = np.mod(position, self.NOTE_SECONDS)
        # A short fade in and out of each note avoids clicks at note changes.
        envelope = np.minimum(1.0, np.minimum(within, self.NOTE_SECONDS - within) / 0.02)
        envelope[index == len(self.NOTES_HZ)] = 0.0
        wave = np.sin(2 * math.pi * freqs * within) * envelope * self._amplitude
        return _to_pcm(wave)
