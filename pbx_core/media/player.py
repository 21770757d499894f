"""WAV playback as an ``AudioSource``: prompts in sequence, looped music, then music or silence.

Files are 16-bit PCM WAV, mono or stereo (mixed down), at any sampling rate; each is read once
and resampled with soxr to the rate a leg asks for, and kept (prompts are short, the music a
few hundred kilobytes).  A file that cannot be read is logged once and plays as a short
silence, so a missing prompt never breaks a call.
"""

from __future__ import annotations

import functools
import logging
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soxr

from pbx_core.media.codecs import Pcm
from pbx_core.media.tones import AudioSource, Silence

__all__ = ["MISSING_SECONDS", "WavPlayer", "load_wav", "read_wav"]

log = logging.getLogger(__name__)

MISSING_SECONDS = 0.5
_warned: set[Path] = set()


def read_wav(path: Path) -> tuple[Pcm, int]:
    """Mono int16 samples and the sampling rate of a 16-bit WAV; ValueError for other formats."""
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError(f"{path.name}: only 16-bit WAV files are supported")
        channels, rate = wav.getnchannels(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    data = np.frombuffer(frames, dtype="<i2").astype(np.int16)
    if channels > 1:
        data = data[: len(data) // channels * channels].reshape(-1, channels)
        data = np.clip(np.rint(data.astype(np.float64).mean(axis=1)), -32768, 32767).astype(
            np.int16
        )
    return data, rate


@functools.lru_cache(maxsize=128)
def load_wav(path: Path, rate: int) -> Pcm:
    """The file's audio at ``rate`` Hz (cached); half a second of silence when unreadable."""
    try:
        pcm, source_rate = read_wav(path)
    except (OSError, EOFError, ValueError, wave.Error) as exc:
        if path not in _warned:
            _warned.add(path)
            log.warning("cannot play %s: %s", path, exc)
        return np.zeros(int(MISSING_SECONDS * rate), dtype=np.int16)
    if source_rate != rate:
        pcm = np.asarray(soxr.resample(pcm, source_rate, rate, quality="HQ"), dtype=np.int16)
    pcm.setflags(write=False)
    return pcm


class WavPlayer:
    """Plays ``files`` in order (``None`` entries are short silences), looped or then ``then``."""

    def __init__(
        self,
        files: Sequence[Path | None],
        *,
        loop: bool = False,
        then: AudioSource | None = None,
    ) -> None:
        self.files = tuple(files)
        self.loop = loop
        self.then: AudioSource = then if then is not None else Silence()
        self._index = 0
        self._offset = 0

    @property
    def finished(self) -> bool:
        """True once the sequence has played (never for a loop)."""
        return self._index >= len(self.files)

    def _clip(self, index: int, rate: int) -> Pcm:
        path = self.files[index]
        if path is None:
            return np.zeros(int(MISSING_SECONDS * rate), dtype=np.int16)
        return load_wav(path, rate)

    def read(self, samples: int, rate: int) -> Pcm:
        out = np.zeros(samples, dtype=np.int16)
        filled = 0
        restarted, produced = False, 0  # a loop of empty files must not spin
        while filled < samples:
            if self.finished:
                if self.loop and self.files and not (restarted and produced == 0):
                    self._index, restarted, produced = 0, True, 0
                    continue
                out[filled:] = self.then.read(samples - filled, rate)
                break
            clip = self._clip(self._index, rate)
            chunk = clip[self._offset : self._offset + samples - filled]
            out[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
            produced += len(chunk)
            self._offset += len(chunk)
            if self._offset >= len(clip):
                self._index += 1
                self._offset = 0
        return out
