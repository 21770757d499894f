from __future__ import annotations

import threading

import numpy as np
import pytest

from sip.audio.diagnostics import MicLevelMeter, TonePlayer, ring_source
from sip.audio.loopback import LoopbackBackend, tone_source
from tests.unit.sip._fft import dominant_frequency


def test_test_tone_plays_on_the_chosen_output() -> None:
    backend = LoopbackBackend(48000)
    player = TonePlayer(backend, None, tone_source(440.0))
    player.start()
    try:
        while len(backend.played()) < 9600:
            threading.Event().wait(0.02)
    finally:
        player.stop()
    assert dominant_frequency(backend.played()[:9600], 48000) == pytest.approx(440.0, abs=10)


def test_ring_cadence_has_tone_then_silence() -> None:
    make = ring_source(425.0, on_s=0.1, off_s=0.1)
    block = make(0, 9600, 48000)
    assert dominant_frequency(block[:4800], 48000) == pytest.approx(425.0, abs=15)
    assert not np.any(block[4800:])


def test_microphone_level_follows_the_signal() -> None:
    levels: list[float] = []
    got = threading.Event()

    def on_level(db: float) -> None:
        levels.append(db)
        if len(levels) >= 3:
            got.set()

    meter = MicLevelMeter(LoopbackBackend(48000, tone_source(1000.0, 0.5)), None, on_level)
    meter.start()
    try:
        assert got.wait(5)
    finally:
        meter.stop()
    assert levels[-1] == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.5)
