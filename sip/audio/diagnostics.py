"""Ringtone, test tone and live microphone level, straight on a device (no call needed).

Callbacks run on the device's audio thread; ``on_level`` must only hand the
value on (e.g. ``loop.call_soon_threadsafe``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sip.audio.devices import AudioBackend, AudioStream
from sip.audio.loopback import Source, tone_source
from sip.audio.ringbuffer import Samples

__all__ = ["MicLevelMeter", "TonePlayer", "ring_source"]

_BLOCK_MS = 20


def ring_source(freq1: float = 425.0, on_s: float = 1.0, off_s: float = 3.0) -> Source:
    """A ring cadence: ``on_s`` of tone, ``off_s`` of silence."""
    tone = tone_source(freq1, 0.3)

    def make(start: int, count: int, rate: int) -> Samples:
        samples = tone(start, count, rate)
        period = int((on_s + off_s) * rate)
        phase = (np.arange(start, start + count) % period) < int(on_s * rate)
        return np.where(phase, samples, 0.0).astype(np.float32)

    return make


class TonePlayer:
    """Plays a source (ringtone or test tone) on an output device until stopped."""

    def __init__(self, backend: AudioBackend, device: str | None, source: Source) -> None:
        self._backend = backend
        self._device = device
        self._source = source
        self._stream: AudioStream | None = None
        self._pos = 0

    def start(self) -> None:
        if self._stream is not None:
            return
        self._pos = 0
        rate: list[int] = []

        def fill(out: Samples) -> None:
            r = rate[0] if rate else 48000
            out[:] = self._source(self._pos, len(out), r)
            self._pos += len(out)

        stream = self._backend.open_output(self._device, None, 48000 * _BLOCK_MS // 1000, fill)
        rate.append(stream.rate)
        self._stream = stream

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()


class MicLevelMeter:
    """Reports the microphone's RMS level in dBFS once per block while running."""

    def __init__(
        self, backend: AudioBackend, device: str | None, on_level: Callable[[float], None]
    ) -> None:
        self._backend = backend
        self._device = device
        self._on_level = on_level
        self._stream: AudioStream | None = None

    def start(self) -> None:
        if self._stream is not None:
            return

        def measure(block: Samples) -> None:
            rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64)))) if len(block) else 0
            self._on_level(20 * np.log10(max(rms, 1e-6)))

        self._stream = self._backend.open_input(
            self._device, None, 48000 * _BLOCK_MS // 1000, measure
        )

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()
