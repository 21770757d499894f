"""A WAV file written as a recording goes on: 16-bit mono chunks appended, the header right on
close (the ``wave`` module patches the lengths). Opened on the first chunk (the folder is
created); a write error is logged once and the file is given up."""

from __future__ import annotations

import contextlib
import logging
import wave
from pathlib import Path

import numpy as np

from pbx_core.media.codecs import Pcm

__all__ = ["WavAppender"]

_log = logging.getLogger(__name__)


class WavAppender:
    """Appends chunks to ``path`` at ``rate``; :attr:`samples` written so far."""

    def __init__(self, path: Path, rate: int) -> None:
        self.path = path
        self.rate = rate
        self.samples = 0
        self.failed = False
        self._wav: wave.Wave_write | None = None

    def append(self, pcm: Pcm) -> None:
        if self.failed or not len(pcm):
            return
        try:
            if self._wav is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                wav = wave.open(str(self.path), "wb")  # noqa: SIM115 - open for the whole call
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(self.rate)
                self._wav = wav
            self._wav.writeframes(np.asarray(pcm, dtype="<i2").tobytes())
            self.samples += len(pcm)
        except OSError:
            _log.exception("cannot write the recording %s", self.path)
            self.failed = True

    def close(self) -> None:
        """Finish the file (the header's lengths); a failed one is removed."""
        wav, self._wav = self._wav, None
        try:
            if wav is not None:
                wav.close()
        except OSError:
            _log.exception("cannot finish the recording %s", self.path)
            self.failed = True
        if self.failed:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
