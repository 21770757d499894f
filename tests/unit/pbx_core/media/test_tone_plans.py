"""Call-progress tones per country: frequencies (FFT) and cadence (E.180)."""

from __future__ import annotations

import numpy as np
import pytest

from pbx_core.media.tone_plans import COUNTRIES, call_progress_tone, tone_plan
from tests.unit.pbx_core.media._audio import level

RATE = 8000

EXPECTED = {
    ("NL", "ringback"): ((425.0,), (1.0, 4.0)),
    ("NL", "busy"): ((425.0,), (0.5, 0.5)),
    ("NL", "congestion"): ((425.0,), (0.25, 0.25)),
    ("DK", "ringback"): ((425.0,), (1.0, 4.0)),
    ("DK", "busy"): ((425.0,), (0.25, 0.25)),
    ("CZ", "busy"): ((425.0,), (0.33, 0.33)),
    ("CZ", "congestion"): ((425.0,), (0.165, 0.165)),
    ("US", "ringback"): ((440.0, 480.0), (2.0, 4.0)),
    ("US", "busy"): ((480.0, 620.0), (0.5, 0.5)),
    ("US", "congestion"): ((480.0, 620.0), (0.25, 0.25)),
}


def _gate(pcm: np.ndarray) -> np.ndarray:
    """On/off per 5 ms block."""
    blocks = pcm[: len(pcm) // 40 * 40].reshape(-1, 40)
    return np.abs(blocks).max(axis=1) > 100


@pytest.mark.parametrize(("country", "tone"), sorted(EXPECTED))
def test_tone_frequencies_and_cadence(country: str, tone: str) -> None:
    freqs, cadence = EXPECTED[(country, tone)]
    assert tone_plan(tone, country).freqs == freqs
    source = call_progress_tone(tone, country)
    period = sum(cadence)
    pcm = np.concatenate([source.read(160, RATE) for _ in range(round(2 * period * 50))])
    on = pcm[: int(cadence[0] * RATE)]
    for freq in freqs:
        assert level(on, RATE, freq, width=8) > 1000
    others = [
        f for f in (350.0, 400.0, 440.0, 480.0, 620.0, 425.0) if all(abs(f - g) > 20 for g in freqs)
    ]
    for freq in others:
        assert level(on, RATE, freq, width=3) < 200
    gate = _gate(pcm)
    expected = np.zeros(len(gate), dtype=bool)
    t = np.arange(len(gate)) * 0.005 + 0.0025
    position = np.mod(t, period)
    start = 0.0
    for on_s, off_s in zip(cadence[0::2], cadence[1::2], strict=True):
        expected |= (position >= start) & (position < start + on_s)
        start += on_s + off_s
    assert np.mean(gate == expected) > 0.97  # edges may fall inside a block


def test_every_country_has_every_tone_and_unknown_countries_sound_dutch() -> None:
    assert {"CZ", "DK", "NL", "US"} <= set(COUNTRIES)
    assert tone_plan("busy", "xx") == tone_plan("busy", "NL")
    assert tone_plan("busy", "us") == tone_plan("busy", "US")
    with pytest.raises(ValueError, match=r"^unknown tone 'dial'$"):
        tone_plan("dial")
