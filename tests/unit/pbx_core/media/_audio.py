"""FFT helpers for the media tests: a sine's amplitude at a frequency, sines to mix."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def sine(
    freq: float, samples: int, rate: int, amplitude: float = 3000.0, start: int = 0
) -> npt.NDArray[np.int16]:
    t = (start + np.arange(samples)) / rate
    return np.rint(amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def level(pcm: npt.NDArray[np.int16], rate: int, freq: float, width: float = 15.0) -> float:
    """The amplitude of a sine at ``freq`` (±``width`` Hz) in ``pcm`` (Hann window)."""
    window = np.hanning(len(pcm))
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * window)) * 2 / window.sum()
    freqs = np.fft.rfftfreq(len(pcm), 1 / rate)
    return float(spectrum[np.abs(freqs - freq) <= width].max())


def peak(pcm: npt.NDArray[np.int16], rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * np.hanning(len(pcm))))
    return float(np.argmax(spectrum) * rate / len(pcm))
