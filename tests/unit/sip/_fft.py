"""Small FFT helpers for the audio unit tests."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def dominant_frequency(samples: npt.NDArray[np.float32], rate: int) -> float:
    spec = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    spec[0] = 0
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spec))])


def dropouts(samples: npt.NDArray[np.float32], rate: int, window_ms: int = 5) -> int:
    """Windows whose RMS falls below a tenth of the median window RMS."""
    n = rate * window_ms // 1000
    windows = samples[: len(samples) // n * n].reshape(-1, n)
    rms = np.sqrt(np.mean(windows.astype(np.float64) ** 2, axis=1))
    return int(np.sum(rms < np.median(rms) / 10))
