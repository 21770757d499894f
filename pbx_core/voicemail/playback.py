"""Playing a message or a greeting file: read when it starts, resampled once for the leg, and
not kept afterwards (the prompt cache of :mod:`pbx_core.media.player` is for the few bundled
prompts, not for every message of every mailbox)."""

from __future__ import annotations

import logging
import wave
from pathlib import Path

import numpy as np
import soxr

from pbx_core.media.codecs import Pcm
from pbx_core.media.player import read_wav

__all__ = ["FileClip"]

_log = logging.getLogger(__name__)


class FileClip:
    """One WAV file played once, then silence; ``finished`` once it has all been read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pcm: Pcm | None = None
        self._rate = 0
        self._offset = 0

    @property
    def finished(self) -> bool:
        return self._pcm is not None and self._offset >= len(self._pcm)

    def _load(self, rate: int) -> Pcm:
        try:
            pcm, source_rate = read_wav(self.path)
        except (OSError, EOFError, ValueError, wave.Error) as exc:
            _log.warning("cannot play %s: %s", self.path, exc)
            return np.zeros(rate // 2, dtype=np.int16)
        if source_rate != rate:
            pcm = np.asarray(soxr.resample(pcm, source_rate, rate, quality="HQ"), dtype=np.int16)
        return pcm

    def read(self, samples: int, rate: int) -> Pcm:
        if self._pcm is None or self._rate != rate:
            position = self._offset / self._rate if self._rate else 0.0
            self._pcm, self._rate = self._load(rate), rate
            self._offset = int(position * rate)
        out = np.zeros(samples, dtype=np.int16)
        chunk = self._pcm[self._offset : self._offset + samples]
        out[: len(chunk)] = chunk
        self._offset += len(chunk)
        return out
