"""The recorder's pure part: packets placed by timestamp, decoded from each codec, silence."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pbx_core.media.codecs import G722, PCMA, PCMU, TELEPHONE_EVENT, CodecSpec, get_encoder
from pbx_core.media.recorder import RECORD_RATE, Recording, write_wav


def _sine(freq: float, samples: int, rate: int, start: int = 0) -> npt.NDArray[np.int16]:
    t = (start + np.arange(samples)) / rate
    return np.rint(3000.0 * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def _peak(pcm: npt.NDArray[np.int16], rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * np.hanning(len(pcm))))
    return float(np.argmax(spectrum) * rate / len(pcm))


def _feed(rec: Recording, spec: CodecSpec, freq: float, frames: int, skip: int = -1) -> None:
    encoder = get_encoder(spec)
    rate = spec.sample_rate
    per = rate // 50
    for n in range(frames):
        payload = encoder.encode(_sine(freq, per, rate, n * per))
        if n != skip:
            rec.add(spec, 1234, 1000 + n * (spec.clock_rate // 50), payload)


def test_each_codec_is_decoded_to_16_khz_with_the_caller_tone() -> None:
    for spec in (PCMU, PCMA, G722):
        rec = Recording(5.0)
        _feed(rec, spec, 700.0, 50)
        pcm = rec.samples()
        assert abs(rec.seconds - 1.0) < 0.01, spec
        assert abs(_peak(pcm, RECORD_RATE) - 700.0) < 20, spec
        assert not rec.silence_only()


def test_a_lost_packet_leaves_a_silent_gap_and_the_length_follows_the_timestamps() -> None:
    rec = Recording(5.0)
    _feed(rec, PCMU, 500.0, 10, skip=4)
    pcm = rec.samples()
    assert len(pcm) == 10 * 320
    gap = pcm[4 * 320 + 40 : 5 * 320 - 40]
    assert np.abs(gap).max() < 300  # only the resampler's tail reaches into it


def test_the_maximum_length_stops_the_recording() -> None:
    rec = Recording(0.5)
    encoder = get_encoder(PCMU)
    full = False
    for n in range(100):
        full = rec.add(PCMU, 1, n * 160, encoder.encode(_sine(400, 160, 8000, n * 160)))
        if full:
            break
    assert full and rec.full and rec.seconds == 0.5


def test_silence_and_telephone_events() -> None:
    rec = Recording(2.0)
    encoder = get_encoder(PCMA)
    for n in range(25):
        rec.add(PCMA, 7, n * 160, encoder.encode(np.zeros(160, dtype=np.int16)))
        rec.add(TELEPHONE_EVENT, 7, n * 160, b"\x0b\x0a\x00\xa0")
    assert rec.silence_only() and abs(rec.seconds - 0.5) < 0.01
    assert Recording(1.0).silence_only()


def test_a_new_ssrc_goes_on_where_the_last_one_stopped_and_the_end_can_be_trimmed(
    tmp_path: Path,
) -> None:
    rec = Recording(5.0)
    encoder = get_encoder(PCMU)
    rec.add(PCMU, 1, 5_000_000, encoder.encode(_sine(300, 160, 8000)))
    rec.add(PCMU, 2, 17, encoder.encode(_sine(300, 160, 8000)))
    assert len(rec.samples()) == 640
    rec.trim_end(0.02)
    assert len(rec.samples()) == 320
    path = tmp_path / "m" / "x.wav"
    write_wav(path, rec.samples())
    with wave.open(str(path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getnframes()) == (16000, 1, 320)


def test_a_message_file_plays_once_at_the_leg_rate(tmp_path: Path) -> None:
    from pbx_core.voicemail.playback import FileClip

    path = tmp_path / "m.wav"
    write_wav(path, _sine(500.0, 16000, 16000))  # one second at 16 kHz
    clip = FileClip(path)
    assert not clip.finished
    frames = [clip.read(160, 8000) for _ in range(50)]
    assert clip.finished
    pcm = np.concatenate(frames)
    assert abs(_peak(pcm, 8000) - 500.0) < 20
    assert not clip.read(160, 8000).any()  # then silence
    missing = FileClip(tmp_path / "gone.wav")
    assert not missing.read(160, 8000).any()
