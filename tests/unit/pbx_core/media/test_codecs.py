"""G.711 and G.722 quality by FFT, the codec factory, and the rate converter."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from pbx_core.errors import MediaError
from pbx_core.media.codecs import (
    G722,
    PCMA,
    PCMU,
    TELEPHONE_EVENT,
    CodecSpec,
    find_codec,
    get_decoder,
    get_encoder,
)
from pbx_core.media.resample import Resampler


def tone(freq: float, rate: int, seconds: float, amplitude: float = 10000.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def snr_and_peak(signal: np.ndarray, freq: float, rate: int) -> tuple[float, float]:
    """SNR of the best-fitting sine at ``freq`` and the FFT's dominant frequency."""
    x = signal.astype(np.float64)
    t = np.arange(len(x)) / rate
    basis = np.stack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)], axis=1)
    coef, *_ = np.linalg.lstsq(basis, x, rcond=None)
    fit = basis @ coef
    snr = 10 * np.log10(np.sum(fit**2) / np.sum((x - fit) ** 2))
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(snr), float(np.argmax(spectrum) * rate / len(x))


def run_codec(spec: CodecSpec, pcm: np.ndarray) -> np.ndarray:
    encoder, decoder = get_encoder(spec), get_decoder(spec)
    frame = spec.sample_rate // 50
    out = []
    for start in range(0, len(pcm), frame):
        payload = encoder.encode(pcm[start : start + frame])
        assert len(payload) == 160  # 64 kbit/s, 20 ms, for all three
        out.append(decoder.decode(payload))
    return np.concatenate(out)


@pytest.mark.parametrize("spec", [PCMU, PCMA])
def test_g711_tone_quality(spec: CodecSpec) -> None:
    decoded = run_codec(spec, tone(1000, 8000, 0.5))
    snr, peak = snr_and_peak(decoded, 1000, 8000)
    assert snr > 30
    assert peak == pytest.approx(1000, abs=10)


def test_g711_reference_values() -> None:
    pcm = np.array([0, -1, 32767, -32768, 1000], dtype=np.int16)
    assert get_encoder(PCMU).encode(pcm) == bytes([0xFF, 0x7F, 0x80, 0x00, 0xCE])
    assert get_encoder(PCMA).encode(pcm) == bytes([0xD5, 0x55, 0xAA, 0x2A, 0xFA])
    assert get_decoder(PCMU).decode(b"\xff\x80").tolist() == [0, 32124]
    assert get_decoder(PCMA).decode(b"\xd5\xaa").tolist() == [8, 32256]


@pytest.mark.parametrize(("freq", "min_snr"), [(1000, 40), (5000, 18)])
def test_g722_tone_quality(freq: float, min_snr: float) -> None:
    """The low band has 6-bit ADPCM, the upper band (4-8 kHz) only 2 bits."""
    decoded = run_codec(G722, tone(freq, 16000, 0.5))
    snr, peak = snr_and_peak(decoded[2000:], freq, 16000)  # skip the adaptation
    assert snr > min_snr
    assert peak == pytest.approx(freq, abs=20)


def test_g722_silence_stays_quiet() -> None:
    decoded = run_codec(G722, np.zeros(3200, dtype=np.int16))
    assert np.abs(decoded).max() < 50


def test_g722_clock_rate_differs_from_sample_rate() -> None:
    assert (G722.clock_rate, G722.sample_rate, G722.static_pt) == (8000, 16000, 9)
    assert (PCMU.sample_rate, PCMA.static_pt) == (8000, 8)


def test_factory_and_lookup() -> None:
    assert find_codec("pcmu", 8000) == PCMU
    assert find_codec("G722", 8000) == G722
    assert find_codec("telephone-event", 8000) == TELEPHONE_EVENT
    assert find_codec("telephone-event", 48000) is None
    assert find_codec("opus", 48000, 2) is None
    with pytest.raises(MediaError, match=r"^no encoder for telephone-event/8000$"):
        get_encoder(TELEPHONE_EVENT)
    with pytest.raises(MediaError, match=r"^no decoder for opus/48000$"):
        get_decoder(CodecSpec("opus", 48000, 2))


@pytest.mark.parametrize(("rate_in", "rate_out"), [(8000, 16000), (16000, 8000)])
def test_resampler_keeps_the_tone(rate_in: int, rate_out: int) -> None:
    resampler = Resampler(rate_in, rate_out)
    pcm = tone(700, rate_in, 0.5)
    frame = rate_in // 50
    out = np.concatenate([resampler.process(pcm[i : i + frame]) for i in range(0, len(pcm), frame)])
    assert len(out) == len(pcm) * rate_out // rate_in
    snr, peak = snr_and_peak(out[200:], 700, rate_out)
    assert snr > 30
    assert peak == pytest.approx(700, abs=10)


def test_resampler_refuses_other_ratios() -> None:
    with pytest.raises(ValueError, match=r"^cannot resample 8000 Hz to 48000 Hz$"):
        Resampler(8000, 48000)


def test_g722_output_is_unchanged_bit_for_bit() -> None:
    """The unrolled predictor and the numpy QMF give exactly the bytes and samples that the
    plain per-sample transcription of the Recommendation gave (a hash of both, four signals)."""
    rng = np.random.default_rng(42)
    t = np.arange(16000 * 2) / 16000
    signals = [
        (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16),
        np.clip(rng.normal(0, 9000, 32000), -32768, 32767).astype(np.int16),
        np.clip(32767 * np.sign(np.sin(2 * np.pi * 97 * t)), -32768, 32767).astype(np.int16),
        np.zeros(3200, dtype=np.int16),
    ]
    digest = hashlib.sha256()
    for signal in signals:
        encoder, decoder = get_encoder(G722), get_decoder(G722)
        for start in range(0, len(signal), 320):
            payload = encoder.encode(signal[start : start + 320])
            digest.update(payload)
            digest.update(decoder.decode(payload).tobytes())
        payload = encoder.encode(signal[:321])  # an odd frame is padded
        digest.update(payload)
        digest.update(decoder.decode(payload).tobytes())
    assert digest.hexdigest() == "1f05cca2842cea0249f8bf6b82ad804588d20adbdb8fc783bc16c758c67143ed"


def test_the_native_g722_is_the_one_used_and_matches_the_pure_python_coder() -> None:
    from pbx_core.media.codecs.g722 import G722Decoder, G722Encoder
    from pbx_core.media.codecs.g722_native import NativeG722Decoder, NativeG722Encoder

    assert isinstance(get_encoder(G722), NativeG722Encoder)
    assert isinstance(get_decoder(G722), NativeG722Decoder)
    rng = np.random.default_rng(7)
    signal = np.clip(rng.normal(0, 6000, 16000), -32768, 32767).astype(np.int16)
    native, pure = NativeG722Encoder(), G722Encoder()
    native_dec, pure_dec = NativeG722Decoder(), G722Decoder()
    for start in range(0, len(signal), 320):
        frame = signal[start : start + 320]
        payload = native.encode(frame)
        assert payload == pure.encode(frame)
        assert np.array_equal(native_dec.decode(payload), pure_dec.decode(payload))
