"""Tone WAVs and FFT checks for the SIP engine tests."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_tone(path: Path, freq: float, seconds: float = 2.0, rate: int = 16000) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.4 * 32767 * np.sin(2 * np.pi * freq * t)).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float64) / 32768.0, rate


def band_level(samples: np.ndarray, rate: int, freq: float, width: float = 40.0) -> float:
    """RMS amplitude of the signal within ``freq +- width`` Hz (Hann window)."""
    if len(samples) < rate // 10:
        return 0.0
    win = np.hanning(len(samples))
    spec = np.fft.rfft(samples * win)
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    band = (freqs >= freq - width) & (freqs <= freq + width)
    power = np.sum(np.abs(spec[band]) ** 2)
    return float(np.sqrt(2 * power / np.sum(win**2) / len(samples)))


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    spec[0] = 0
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spec))])
