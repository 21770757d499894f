"""WAV files and tone detection for checking what a call carried.

Tests play a tone into one side of a call and record the other side; these helpers write the
tones, read the recordings back and decide by FFT (Hann window) whether a tone is present, over
the whole recording or window by window ("heard, silent during hold, heard again after resume").
Known recordings (a prompt, the hold music) are recognised by normalised cross-correlation.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr

__all__ = [
    "Samples",
    "band_snr_db",
    "dominant_frequency",
    "read_wav",
    "resample",
    "rms_dbfs",
    "segment",
    "similarity",
    "tone_present",
    "tone_timeline",
    "write_silence_wav",
    "write_tone_wav",
]

Samples = npt.NDArray[np.float64]

_SUPPORTED_RATES = (8000, 16000, 32000, 44100, 48000)
_FULL_SCALE = 32767.0
# Half width of the band counted as "the tone": the Hann main lobe is 2 bins either side, and
# codecs, resampling and clock drift move a tone by a few hertz.
_MIN_BAND_HZ = 15.0
_MIN_LEVEL_DBFS = -55.0


def write_tone_wav(
    path: Path | str, freq_hz: float, seconds: float, rate: int = 8000, level: float = 0.3
) -> Path:
    """Write a mono 16-bit sine tone; `level` is the peak amplitude as a fraction of full scale."""
    if rate not in _SUPPORTED_RATES:
        raise ValueError(f"unsupported sample rate: {rate}")
    if not 0.0 < freq_hz < rate / 2:
        raise ValueError(f"tone frequency must be between 0 and {rate / 2} Hz: {freq_hz}")
    if not 0.0 < level <= 1.0:
        raise ValueError(f"level must be in (0, 1]: {level}")
    if seconds <= 0:
        raise ValueError(f"duration must be positive: {seconds}")
    count = round(seconds * rate)
    # A whole number of periods keeps a looping player free of clicks.
    periods = max(1, round(freq_hz * count / rate))
    count = round(periods * rate / freq_hz)
    t = np.arange(count, dtype=np.float64) / rate
    return _write(Path(path), level * np.sin(2 * np.pi * freq_hz * t), rate)


def write_silence_wav(path: Path | str, seconds: float, rate: int = 8000) -> Path:
    """Write digital silence (a recorder fed by it keeps wall-clock time)."""
    if rate not in _SUPPORTED_RATES:
        raise ValueError(f"unsupported sample rate: {rate}")
    if seconds <= 0:
        raise ValueError(f"duration must be positive: {seconds}")
    return _write(Path(path), np.zeros(round(seconds * rate), dtype=np.float64), rate)


def _write(path: Path, samples: Samples, rate: int) -> Path:
    pcm = np.clip(np.round(samples * _FULL_SCALE), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def read_wav(path: Path | str) -> tuple[Samples, int]:
    """Read a 16-bit PCM WAV as floats in [-1, 1) (first channel) and its sample rate."""
    with wave.open(str(path), "rb") as inp:
        if inp.getsampwidth() != 2:
            raise ValueError(f"only 16-bit PCM WAV is supported: {path}")
        channels = inp.getnchannels()
        rate = inp.getframerate()
        raw = inp.readframes(inp.getnframes())
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.float64)
    if channels > 1:
        pcm = pcm[::channels]
    return pcm / 32768.0, rate


def segment(samples: Samples, rate: int, start_s: float, end_s: float) -> Samples:
    """The samples between two times; the end is clamped to the length of the recording."""
    if start_s < 0 or end_s < start_s:
        raise ValueError(f"invalid segment: {start_s}..{end_s} s")
    start = round(start_s * rate)
    if start > len(samples):
        raise ValueError(f"segment starts after the end: {start_s} s")
    return samples[start : round(end_s * rate)]


def rms_dbfs(samples: Samples) -> float:
    """Signal level in dB relative to full scale; -inf for digital silence."""
    if len(samples) == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(np.square(samples))))
    return 20 * float(np.log10(rms * np.sqrt(2))) if rms > 0 else float("-inf")


def _spectrum(samples: Samples, rate: int) -> tuple[Samples, Samples]:
    if len(samples) < 16:
        raise ValueError(f"too few samples for a spectrum: {len(samples)}")
    window = np.hanning(len(samples))
    power: Samples = np.square(np.abs(np.fft.rfft(samples * window))).astype(np.float64)
    freqs: Samples = np.fft.rfftfreq(len(samples), 1.0 / rate).astype(np.float64)
    return freqs, power


def dominant_frequency(samples: Samples, rate: int) -> float:
    """Frequency of the strongest spectral peak above 20 Hz; 0.0 for silence."""
    freqs, power = _spectrum(samples, rate)
    power[freqs < 20.0] = 0.0
    peak = int(np.argmax(power))
    if power[peak] <= 0.0:
        return 0.0
    if 0 < peak < len(power) - 1:
        # Parabolic interpolation on log power refines the estimate between bins.
        a, b, c = np.log(power[peak - 1 : peak + 2] + 1e-30)
        denom = a - 2 * b + c
        offset = 0.5 * (a - c) / denom if denom != 0 else 0.0
        return float(freqs[peak] + offset * (freqs[1] - freqs[0]))
    return float(freqs[peak])


def _band(samples: Samples, rate: int, freq_hz: float) -> tuple[float, float, float]:
    """(power in the band around `freq_hz`, noise floor over as many bins, total power)."""
    freqs, power = _spectrum(samples, rate)
    resolution = rate / len(samples)
    half = max(_MIN_BAND_HZ, 3 * resolution)
    band = np.abs(freqs - freq_hz) <= half
    if not band.any() or freq_hz <= 0:
        raise ValueError(f"frequency outside the spectrum: {freq_hz} Hz")
    audible = power[freqs >= 20.0]
    floor = float(np.median(audible)) * int(band.sum())
    return float(power[band].sum()), floor, float(audible.sum())


def band_snr_db(samples: Samples, rate: int, freq_hz: float) -> float:
    """Power in a narrow band around `freq_hz` over the noise floor in a band of the same width.

    The floor is the median power per bin over the spectrum, so other tones do not raise it.
    """
    in_band, floor, _ = _band(samples, rate, freq_hz)
    return 10 * float(np.log10((in_band + 1e-20) / (floor + 1e-20)))


def tone_present(
    samples: Samples,
    rate: int,
    freq_hz: float,
    *,
    min_snr_db: float = 20.0,
    min_level_dbfs: float = _MIN_LEVEL_DBFS,
    min_share: float = 0.05,
) -> bool:
    """True when the tone stands `min_snr_db` above the noise floor, carries at least
    `min_share` of the signal's power (leakage of a neighbouring tone does not count) and the
    signal is audible."""
    if rms_dbfs(samples) < min_level_dbfs:
        return False
    in_band, floor, total = _band(samples, rate, freq_hz)
    snr_db = 10 * float(np.log10((in_band + 1e-20) / (floor + 1e-20)))
    return snr_db >= min_snr_db and in_band >= min_share * total


def tone_timeline(
    samples: Samples,
    rate: int,
    freq_hz: float,
    window_s: float = 0.2,
    *,
    min_snr_db: float = 20.0,
    min_level_dbfs: float = _MIN_LEVEL_DBFS,
) -> list[bool]:
    """Tone presence in consecutive windows (a trailing partial window is dropped)."""
    if window_s <= 0:
        raise ValueError(f"window must be positive: {window_s}")
    size = round(window_s * rate)
    return [
        tone_present(
            samples[i : i + size],
            rate,
            freq_hz,
            min_snr_db=min_snr_db,
            min_level_dbfs=min_level_dbfs,
        )
        for i in range(0, len(samples) - size + 1, size)
    ]


def resample(samples: Samples, rate: int, new_rate: int) -> Samples:
    """The same audio at another sample rate."""
    if rate == new_rate:
        return samples
    return np.asarray(soxr.resample(samples, rate, new_rate), dtype=np.float64)


def similarity(excerpt: Samples, reference: Samples, *, loop: bool = False) -> float:
    """How well `excerpt` matches the best-fitting stretch of `reference` (same rate): the
    highest normalised cross-correlation, 1.0 for an exact copy at any level, near 0 for
    unrelated audio. A `loop` reference (hold music) may wrap around its end."""
    n = len(excerpt)
    if n < 16:
        raise ValueError(f"too few samples to compare: {n}")
    if loop:
        reference = np.concatenate([reference, reference[:n]])
    if len(reference) < n:
        raise ValueError("the reference is shorter than the excerpt")
    size = 1 << (len(reference) + n - 1).bit_length()
    spectrum = np.fft.rfft(reference, size) * np.conj(np.fft.rfft(excerpt, size))
    products = np.fft.irfft(spectrum, size)[: len(reference) - n + 1]
    energy = np.concatenate([[0.0], np.cumsum(np.square(reference))])
    stretch = energy[n:] - energy[:-n]
    norms = np.sqrt(np.maximum(stretch, 1e-12) * max(float(np.sum(np.square(excerpt))), 1e-12))
    return float(np.max(products / norms))
