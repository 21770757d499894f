"""Pure pieces of the app's audio: the store, the level scale, sources and backend choice."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from app.audio import RINGTONE, beep_source, make_backend, wav_source
from app.controllers.settings import LEVEL_FLOOR_DBFS, level_of
from app.stores.audio import AudioDevice, AudioStore
from sip.audio import LoopbackBackend, SoundDeviceBackend


def test_store_splits_devices_and_names_what_changed() -> None:
    store = AudioStore()
    seen: list[str] = []
    store.hub.subscribe(lambda changes: seen.extend(sorted(changes.names)))
    mic, headset = AudioDevice("Mic", True, False), AudioDevice("Headset", True, True)
    store.set_devices([mic, headset, AudioDevice("Speakers", False, True)])
    assert [d.name for d in store.inputs] == ["Mic", "Headset"]
    assert [d.name for d in store.outputs] == ["Headset", "Speakers"]
    store.set_availability(
        False, "No speaker or microphone found. Calls connect but you will not hear them."
    )
    store.set_availability(
        False, "No speaker or microphone found. Calls connect but you will not hear them."
    )
    store.set_selection("Mic", None, "Speakers")
    store.set_mic_level(1.7)
    assert store.mic_level == 1.0
    store.set_mic_level(-0.2)
    assert store.mic_level == 0.0
    assert seen == ["devices", "availability", "selection", "mic_level", "mic_level"]


@pytest.mark.parametrize(
    ("dbfs", "level"),
    [(0.0, 1.0), (6.0, 1.0), (LEVEL_FLOOR_DBFS, 0.0), (-120.0, 0.0), (-30.0, 0.5)],
)
def test_level_scale(dbfs: float, level: float) -> None:
    assert level_of(dbfs) == pytest.approx(level)


def test_level_of_nan_is_empty() -> None:
    assert level_of(float("nan")) == 0.0
    assert level_of(-float("inf")) == 0.0


def test_backend_is_chosen_by_environment() -> None:
    assert isinstance(make_backend({}), SoundDeviceBackend)
    assert isinstance(make_backend({"ACME_AUDIO_BACKEND": "sounddevice"}), SoundDeviceBackend)
    assert isinstance(make_backend({"ACME_AUDIO_BACKEND": "loopback"}), LoopbackBackend)
    with pytest.raises(ValueError, match=r"^unknown audio backend: 'alsa'$"):
        make_backend({"ACME_AUDIO_BACKEND": "alsa"})


def _write(path: Path, samples: np.ndarray, rate: int, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return path


def test_wav_source_loops_and_resamples(tmp_path: Path) -> None:
    ramp = (np.arange(100) * 100).astype("<i2")
    source = wav_source(_write(tmp_path / "ramp.wav", ramp, 8000))
    block = source(90, 20, 8000)
    expected = np.concatenate([ramp[90:], ramp[:10]]).astype(np.float32) / 32768
    np.testing.assert_allclose(block, expected)
    assert len(source(0, 480, 48000)) == 480


def test_wav_source_of_the_ringtone_at_another_rate() -> None:
    source = wav_source(RINGTONE)
    samples = source(0, 16000, 16000)
    spectrum = np.abs(np.fft.rfft(samples[:3200] * np.hanning(3200)))
    peak_hz = np.argmax(spectrum) * 16000 / 3200
    assert abs(peak_hz - 659.25) < 10  # E5, the chime's first note


def test_wav_source_rejects_bad_files(tmp_path: Path) -> None:
    eight_bit = _write(tmp_path / "8bit.wav", np.zeros(10, dtype=np.uint8), 8000, width=1)
    with pytest.raises(ValueError, match=r"^the WAV file must be 16-bit PCM: "):
        wav_source(eight_bit)
    empty = _write(tmp_path / "empty.wav", np.zeros(0, dtype="<i2"), 8000)
    with pytest.raises(ValueError, match=r"^the WAV file is empty: "):
        wav_source(empty)


def test_beep_source_beeps_twice_then_is_silent() -> None:
    rate = 8000
    samples = beep_source(440.0, beeps=2)(0, 2 * rate, rate)
    on = np.abs(samples) > 0.01
    window = rate // 20  # 50 ms
    active = [bool(on[i : i + window].any()) for i in range(0, len(samples), window)]
    # 0.2 s on, 0.2 s off, twice, then silence
    assert active[:16] == [True] * 4 + [False] * 4 + [True] * 4 + [False] * 4
    assert not any(active[16:])
