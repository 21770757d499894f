"""Tone detection on generated signals: pure tones, two tones, noise, silence, timelines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.support.audio import (
    band_snr_db,
    dominant_frequency,
    read_wav,
    rms_dbfs,
    segment,
    tone_present,
    tone_timeline,
    write_silence_wav,
    write_tone_wav,
)

RATE = 8000


def _tone(freq: float, seconds: float, level: float = 0.3, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return level * np.sin(2 * np.pi * freq * t)


def _noise(seconds: float, rms: float, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, rms, round(seconds * RATE))


@pytest.mark.parametrize("rate", [8000, 16000])
def test_tone_wav_round_trip(tmp_path: Path, rate: int) -> None:
    path = write_tone_wav(tmp_path / "t.wav", 700, 1.0, rate=rate, level=0.5)
    samples, got_rate = read_wav(path)
    assert got_rate == rate
    assert abs(len(samples) - rate) <= rate // 100
    assert 0.49 < float(np.max(np.abs(samples))) <= 0.5
    assert abs(dominant_frequency(samples, rate) - 700) < 2


def test_silence_wav_is_silent(tmp_path: Path) -> None:
    samples, rate = read_wav(write_silence_wav(tmp_path / "s.wav", 0.5, rate=16000))
    assert (rate, len(samples)) == (16000, 8000)
    assert rms_dbfs(samples) == float("-inf")
    assert dominant_frequency(samples, rate) == 0.0
    assert not tone_present(samples, rate, 700)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"freq_hz": 5000, "seconds": 1.0}, "tone frequency must be between 0 and 4000.0 Hz: 5000"),
        ({"freq_hz": 700, "seconds": 0.0}, "duration must be positive: 0.0"),
        ({"freq_hz": 700, "seconds": 1.0, "level": 1.5}, "level must be in (0, 1]: 1.5"),
        ({"freq_hz": 700, "seconds": 1.0, "rate": 11025}, "unsupported sample rate: 11025"),
    ],
)
def test_write_tone_rejects_bad_arguments(
    tmp_path: Path, kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError) as info:
        write_tone_wav(tmp_path / "x.wav", **kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_dominant_frequency_between_bins() -> None:
    assert abs(dominant_frequency(_tone(1234.5, 0.2), RATE) - 1234.5) < 3


def test_dominant_frequency_picks_the_louder_of_two_tones() -> None:
    mix = _tone(700, 1.0, level=0.1) + _tone(1300, 1.0, level=0.3)
    assert abs(dominant_frequency(mix, RATE) - 1300) < 2


def test_tone_present_in_noise_and_absent_elsewhere() -> None:
    signal = _tone(700, 1.0, level=0.2) + _noise(1.0, 0.05)
    assert tone_present(signal, RATE, 700)
    assert not tone_present(signal, RATE, 1300)
    assert not tone_present(signal, RATE, 730)


def test_both_of_two_tones_are_present() -> None:
    mix = _tone(700, 1.0) + _tone(1300, 1.0)
    assert tone_present(mix, RATE, 700)
    assert tone_present(mix, RATE, 1300)
    assert not tone_present(mix, RATE, 1000)


def test_noise_alone_holds_no_tone() -> None:
    noise = _noise(1.0, 0.1)
    assert band_snr_db(noise, RATE, 700) < 10
    assert not tone_present(noise, RATE, 700)


def test_quiet_tone_is_not_heard() -> None:
    assert tone_present(_tone(700, 0.5, level=0.01), RATE, 700)
    assert not tone_present(_tone(700, 0.5, level=0.0005), RATE, 700)


def test_segment_selects_and_validates() -> None:
    samples = np.arange(RATE * 2, dtype=np.float64)
    part = segment(samples, RATE, 0.5, 1.0)
    assert (len(part), part[0]) == (RATE // 2, RATE // 2)
    assert len(segment(samples, RATE, 1.5, 9.0)) == RATE // 2
    with pytest.raises(ValueError, match=r"^invalid segment: 1.0..0.5 s$"):
        segment(samples, RATE, 1.0, 0.5)
    with pytest.raises(ValueError, match=r"^segment starts after the end: 3.0 s$"):
        segment(samples, RATE, 3.0, 4.0)


def test_timeline_follows_tone_silence_tone() -> None:
    signal = np.concatenate(
        [_tone(700, 1.0), np.zeros(RATE), _noise(1.0, 0.01), _tone(700, 1.0) + _tone(1300, 1.0)]
    )
    timeline = tone_timeline(signal, RATE, 700, window_s=0.25)
    assert timeline == [True] * 4 + [False] * 8 + [True] * 4
    assert tone_timeline(signal, RATE, 1300, window_s=0.25) == [False] * 12 + [True] * 4


def test_timeline_drops_partial_window_and_rejects_bad_window() -> None:
    assert len(tone_timeline(_tone(700, 1.1), RATE, 700, window_s=0.2)) == 5
    with pytest.raises(ValueError, match=r"^window must be positive: 0$"):
        tone_timeline(_tone(700, 1.0), RATE, 700, window_s=0)


def test_similarity_finds_a_copy_at_any_level_and_any_place() -> None:
    from tests.support.audio import similarity

    rng = np.random.default_rng(3)
    reference = rng.normal(0, 0.2, 8000)
    excerpt = reference[3000:4600] * 0.1  # a quiet copy from the middle
    assert similarity(excerpt, reference) > 0.999
    assert similarity(rng.normal(0, 0.2, 1600), reference) < 0.5


def test_similarity_wraps_a_looped_reference() -> None:
    from tests.support.audio import similarity

    rng = np.random.default_rng(4)
    reference = rng.normal(0, 0.2, 4000)
    across_the_end = np.concatenate([reference[-800:], reference[:800]])
    assert similarity(across_the_end, reference, loop=True) > 0.999
    assert similarity(across_the_end, reference) < 0.9
    with pytest.raises(ValueError):
        similarity(reference[:8], reference)


def test_resample_keeps_a_tone_and_the_duration() -> None:
    from tests.support.audio import dominant_frequency, resample

    t = np.arange(16000) / 16000
    tone = 0.3 * np.sin(2 * np.pi * 1000 * t)
    down = resample(tone, 16000, 8000)
    assert abs(len(down) - 8000) <= 2
    assert abs(dominant_frequency(down, 8000) - 1000) < 10
    assert resample(tone, 16000, 16000) is tone
