"""Synthesise the ringtone: `.venv/bin/python -m tools.ringtone_build`.

A short three-note chime (E5, G5, C6), each a sine with two soft overtones and an exponential
decay, played twice and followed by silence, so the app core can loop the file while ringing.
Mono, 16 bit, 48 kHz; no third-party audio.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from app.paths import resource

__all__ = ["RATE", "RINGTONE", "build", "ringtone"]

RATE = 48_000
RINGTONE = resource("sounds", "ringtone.wav")
_NOTES = (659.25, 783.99, 1046.50)
_NOTE_S = 0.22
_TAIL_S = 0.5
_PAUSE_S = 1.2


def _note(freq: float, seconds: float) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    tone = np.sin(2 * np.pi * freq * t)
    tone += 0.3 * np.sin(2 * np.pi * 2 * freq * t) + 0.1 * np.sin(2 * np.pi * 3 * freq * t)
    attack = np.minimum(1.0, t / 0.005)
    return tone * attack * np.exp(-t * 6.0)


def ringtone() -> np.ndarray:
    """The samples as float in [-1, 1]."""
    total = int(RATE * (2 * (len(_NOTES) * _NOTE_S + _TAIL_S) + _PAUSE_S))
    out = np.zeros(total)
    pos = 0
    for _ in range(2):
        for freq in _NOTES:
            n = _note(freq, _NOTE_S + _TAIL_S)
            out[pos : pos + len(n)] += n
            pos += int(RATE * _NOTE_S)
        pos += int(RATE * _TAIL_S)
    peak = float(np.max(np.abs(out))) or 1.0
    return out / peak * 0.7


def build(path: Path = RINGTONE) -> Path:
    """Write the WAV file and return its path."""
    samples = (ringtone() * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    return path


if __name__ == "__main__":
    print(build())
