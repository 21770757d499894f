"""WAV recorders and the wait for pjmedia to finish their files.

pjmedia's conference bridge removes ports on its next clock tick, so a
recorder's file is complete a frame after the object is freed, not at once;
the WAV header's RIFF size tells when it is.
"""

from __future__ import annotations

import os
import struct
import time
from concurrent.futures import Future

import pjsua2 as pj

from sip.errors import PjsuaError

__all__ = ["ClosingRecordings", "Recorder"]

_CLOSE_TIMEOUT_S = 5.0


class Recorder(pj.AudioMediaRecorder):  # type: ignore[misc]
    """A recorder that remembers its file, to tell when pjmedia has closed it."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


def _wav_complete(path: str) -> bool:
    """True once the RIFF size in the header matches the file (written on close)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return len(head) == 8 and head[:4] == b"RIFF" and struct.unpack("<I", head[4:])[0] == size - 8


class ClosingRecordings:
    """Files being closed, each with the future its caller waits on."""

    def __init__(self) -> None:
        self._closing: list[tuple[str, Future[None], float]] = []

    def __bool__(self) -> bool:
        return bool(self._closing)

    def close(self, recorder: Recorder | None) -> Future[None]:
        """Wait for the file of a recorder the caller has just let go of (None: done)."""
        done: Future[None] = Future()
        if recorder is None:
            done.set_result(None)
        else:
            self._closing.append((recorder.path, done, time.monotonic() + _CLOSE_TIMEOUT_S))
        return done

    def check(self) -> None:
        """Resolve the futures of finished files; fail those past the deadline."""
        now = time.monotonic()
        still: list[tuple[str, Future[None], float]] = []
        for path, done, deadline in self._closing:
            if _wav_complete(path):
                done.set_result(None)
            elif now > deadline:
                done.set_exception(PjsuaError(f"recording {path!r} was not closed in time"))
            else:
                still.append((path, done, deadline))
        self._closing = still

    def release_all(self) -> None:
        """At shutdown: libDestroy closes every file, so the waits end here."""
        for _, done, _ in self._closing:
            done.set_result(None)
        self._closing.clear()
