"""Shipped resources: the ringtone's notes, the icons' licence."""

from __future__ import annotations

import wave

import numpy as np

from tools.ringtone_build import RATE, RINGTONE
from ui.icons import ICON_DIR, icon


def test_ringtone_holds_its_first_note() -> None:
    with wave.open(str(RINGTONE), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        samples = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(float)
    first = samples[: int(RATE * 0.2)]
    spectrum = np.abs(np.fft.rfft(first))
    peak_hz = np.argmax(spectrum) * RATE / len(first)
    assert abs(peak_hz - 659.25) < 10


def test_icons_ship_with_licence(qapp) -> None:
    assert "ISC License" in (ICON_DIR / "LICENSE").read_text()
    assert not icon("phone", "#16a34a").isNull()
