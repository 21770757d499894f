"""WAV player (any rate, stereo, sequences, loops, then) and the bundled prompt set."""

from __future__ import annotations

import logging
import wave
from pathlib import Path

import numpy as np
import pytest

from pbx_core.media.player import MISSING_SECONDS, WavPlayer, read_wav
from pbx_core.media.prompts import (
    PROMPT_NAMES,
    PROMPTS_DIR,
    MusicOnHold,
    digit_prompts,
    music_path,
    prompt_path,
    prompt_player,
)
from tests.unit.pbx_core.media._audio import level, peak


def _write(path: Path, freq: float, seconds: float, rate: int, channels: int = 1) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    mono = np.rint(8000 * np.sin(2 * np.pi * freq * t)).astype("<i2")
    data = np.repeat(mono, channels) if channels > 1 else mono
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(data.tobytes())
    return path


def _play(player: WavPlayer, seconds: float, rate: int) -> np.ndarray:
    frame = rate // 50
    return np.concatenate([player.read(frame, rate) for _ in range(round(seconds * 50))])


@pytest.mark.parametrize("file_rate", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("leg_rate", [8000, 16000])
def test_files_of_any_rate_play_at_the_legs_rate(
    tmp_path: Path, file_rate: int, leg_rate: int
) -> None:
    path = _write(tmp_path / f"{file_rate}.wav", 700, 0.5, file_rate)
    player = WavPlayer([path])
    audio = _play(player, 0.6, leg_rate)
    assert peak(audio[: leg_rate // 2], leg_rate) == pytest.approx(700, abs=5)
    sounding = np.flatnonzero(np.abs(audio) > 1000)
    assert sounding[-1] / leg_rate == pytest.approx(0.5, abs=0.005)  # length kept
    assert player.finished and not audio[int(0.52 * leg_rate) :].any()  # then silence


def test_stereo_is_mixed_down(tmp_path: Path) -> None:
    path = _write(tmp_path / "stereo.wav", 440, 0.3, 44100, channels=2)
    pcm, rate = read_wav(path)
    assert rate == 44100 and len(pcm) == int(0.3 * 44100)
    assert np.abs(pcm).max() == pytest.approx(8000, abs=2)


def test_only_16_bit_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "8bit.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(8000)
        wav.writeframes(bytes(800))
    with pytest.raises(ValueError, match=r"^8bit.wav: only 16-bit WAV files are supported$"):
        read_wav(path)


def test_a_sequence_plays_in_order_and_a_loop_restarts(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.wav", 500, 0.2, 16000)
    second = _write(tmp_path / "b.wav", 1200, 0.2, 16000)
    audio = _play(WavPlayer([first, second]), 0.4, 8000)
    assert peak(audio[:1600], 8000) == pytest.approx(500, abs=10)
    assert peak(audio[1600:], 8000) == pytest.approx(1200, abs=10)
    looped = _play(WavPlayer([first], loop=True), 1.0, 8000)
    for start in range(0, 8000, 1600):
        assert peak(looped[start : start + 1600], 8000) == pytest.approx(500, abs=10)


def test_then_follows_the_sequence(tmp_path: Path) -> None:
    prompt = _write(tmp_path / "p.wav", 500, 0.2, 16000)
    music = _write(tmp_path / "m.wav", 1500, 0.1, 16000)
    player = WavPlayer([prompt], then=WavPlayer([music], loop=True))
    audio = _play(player, 1.0, 8000)
    assert level(audio[:1600], 8000, 500) > 5000
    assert level(audio[1600:], 8000, 1500) > 5000 and level(audio[1600:], 8000, 500) < 200


def test_every_prompt_exists_in_english_and_dutch_and_speaks() -> None:
    assert len(PROMPT_NAMES) == 27
    for language in ("en", "nl"):
        for name in PROMPT_NAMES:
            path = PROMPTS_DIR / language / f"{name}.wav"
            with wave.open(str(path), "rb") as wav:
                assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
            pcm, _ = read_wav(path)
            assert 0.2 < len(pcm) / 16000 < 6.0, name
            assert np.sqrt(np.mean(pcm.astype(np.float64) ** 2)) > 1000, name  # not silent
    english = read_wav(PROMPTS_DIR / "en" / "parked.wav")[0]
    dutch = read_wav(PROMPTS_DIR / "nl" / "parked.wav")[0]
    assert len(english) != len(dutch)


def test_the_hold_music_is_bundled_and_loops() -> None:
    pcm, rate = read_wav(music_path())
    assert rate == 16000 and len(pcm) / rate > 10
    music = MusicOnHold()
    audio = _play(music, len(pcm) / rate + 1.0, 8000)
    assert np.abs(audio[-8000:]).max() > 1000 and not music.finished


def test_prompts_fall_back_to_english_and_missing_ones_play_silence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert prompt_path("goodbye", "de") == PROMPTS_DIR / "en" / "goodbye.wav"
    assert prompt_path("goodbye", "nl") == PROMPTS_DIR / "nl" / "goodbye.wav"
    with caplog.at_level(logging.WARNING):
        assert prompt_path("no-such-prompt", "nl") is None
        assert prompt_path("no-such-prompt", "nl") is None
    assert len([r for r in caplog.records if "no-such-prompt" in r.message]) == 1
    assert prompt_path("../en/goodbye", "nl") is None  # names never leave the prompt folder
    assert prompt_path("goodbye", "../en") == PROMPTS_DIR / "en" / "goodbye.wav"
    player = prompt_player(("no-such-prompt",), "nl", then="silence")
    audio = _play(player, MISSING_SECONDS + 0.2, 8000)
    assert not audio.any() and player.finished
    assert not _play(WavPlayer([tmp_path / "gone.wav"], loop=True), 0.5, 8000).any()


def test_a_prompt_then_music_or_silence() -> None:
    parked = read_wav(PROMPTS_DIR / "en" / "parked.wav")[0]
    seconds = len(parked) / 16000
    audio = _play(prompt_player(("parked",)), seconds + 1.0, 8000)
    assert np.abs(audio[: int(seconds * 8000)]).max() > 3000
    assert np.abs(audio[-8000:]).max() > 1000  # music after the prompt
    quiet = _play(prompt_player(("parked",), then="silence"), seconds + 0.5, 8000)
    assert not quiet[-2000:].any()
    with pytest.raises(ValueError, match=r"^unknown prompt follow-up 'jazz'$"):
        prompt_player(("parked",), then="jazz")


def test_slot_numbers_are_said_digit_by_digit() -> None:
    assert digit_prompts("7012") == ("digit-7", "digit-0", "digit-1", "digit-2")
    assert ("slot", *digit_prompts("7001"))[1:] == ("digit-7", "digit-0", "digit-0", "digit-1")
