"""Adaptive jitter buffer for one leg feeding a mixer: reorder, adapt the delay, conceal loss.

Pure: packets go in with their arrival time (``put``), one 20 ms frame comes out per tick of the
mixer (``pull``).  Playout follows sequence numbers (phones send one frame per packet).  The
target delay follows the interarrival jitter (RFC 3550 §6.4.1 estimate): about three times the
jitter plus one frame, between one and :attr:`JitterBuffer.MAX_FRAMES` frames.  A packet whose
turn has passed is dropped as late.  A missing frame is concealed by repeating the last one at
falling volume; after :attr:`JitterBuffer.CONCEAL_FRAMES` such frames it plays silence and, once
empty, waits to fill to the target again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from pbx_core.media.codecs import Pcm

__all__ = ["JitterBuffer", "JitterStats"]

T = TypeVar("T")

_SEQ_MOD = 1 << 16
_RESET_GAP = 200  # a sequence jump this far (or a new SSRC) is a new stream


@dataclass(slots=True)
class JitterStats:
    """Counters for quality figures and tests."""

    played: int = 0
    concealed: int = 0
    late: int = 0
    duplicate: int = 0
    skipped: int = 0


class JitterBuffer(Generic[T]):
    """Frames of type ``T`` (e.g. payloads) decoded to PCM by ``decode`` at playout time."""

    MAX_FRAMES = 10
    CONCEAL_FRAMES = 3

    def __init__(
        self,
        decode: Callable[[T], Pcm],
        frame_samples: int,
        *,
        clock_rate: int = 8000,
        frame_seconds: float = 0.02,
    ) -> None:
        self._decode = decode
        self.frame_samples = frame_samples
        self.clock_rate = clock_rate
        self.frame_seconds = frame_seconds
        self.stats = JitterStats()
        self.jitter = 0.0  # seconds
        self._frames: dict[int, T] = {}
        self._next: int | None = None  # sequence number of the next frame to play
        self._playing = False
        self._ssrc: int | None = None
        self._transit: float | None = None
        self._last: Pcm | None = None
        self._lost_run = 0

    @property
    def target_frames(self) -> int:
        """How many frames the buffer holds before playing (and tries to keep)."""
        wanted = 1 + round(3 * self.jitter / self.frame_seconds)
        return max(1, min(self.MAX_FRAMES, wanted))

    @property
    def depth(self) -> int:
        return len(self._frames)

    def _reset(self, ssrc: int) -> None:
        self._frames.clear()
        self._ssrc, self._next, self._playing = ssrc, None, False
        self._transit = None

    def put(self, seq: int, timestamp: int, frame: T, arrival: float, ssrc: int = 0) -> None:
        """Store a frame that arrived at ``arrival`` (seconds); late and duplicates are dropped."""
        if ssrc != self._ssrc:
            self._reset(ssrc)
        if self._next is not None:
            ahead = (seq - self._next) % _SEQ_MOD
            if ahead >= _SEQ_MOD - _RESET_GAP:
                if self._playing:
                    self.stats.late += 1
                    return
                self._next = seq  # an earlier frame while filling: start there
            elif ahead > _RESET_GAP:
                self._reset(ssrc)
        if seq in self._frames:
            self.stats.duplicate += 1
            return
        transit = arrival - timestamp / self.clock_rate
        if self._transit is not None:
            self.jitter += (abs(transit - self._transit) - self.jitter) / 16
        self._transit = transit
        self._frames[seq] = frame
        if self._next is None:
            self._next = seq

    def pull(self) -> Pcm:
        """The next frame to play: decoded, concealed, or silence while filling."""
        if not self._playing:
            if self._next is None or len(self._frames) < self.target_frames:
                return self._silence()
            self._playing = True
            self._next = self._oldest()
        assert self._next is not None
        self._drop_excess()
        frame = self._frames.pop(self._next, None)
        self._next = (self._next + 1) % _SEQ_MOD
        if frame is not None:
            pcm = self._decode(frame)
            self._last, self._lost_run = pcm, 0
            self.stats.played += 1
            return pcm
        return self._conceal()

    def _oldest(self) -> int:
        start = self._next if self._next is not None else 0
        return min(self._frames, key=lambda s: (s - start) % _SEQ_MOD)

    def _drop_excess(self) -> None:
        """Catch up when far more is buffered than the target (after a burst)."""
        while len(self._frames) > self.target_frames + 2:
            oldest = self._oldest()
            del self._frames[oldest]
            self._next = (oldest + 1) % _SEQ_MOD
            self.stats.skipped += 1

    def _conceal(self) -> Pcm:
        self._lost_run += 1
        self.stats.concealed += 1
        if self._last is not None and self._lost_run <= self.CONCEAL_FRAMES:
            gain = 1.0 - self._lost_run / (self.CONCEAL_FRAMES + 1)
            faded: Pcm = (self._last.astype(np.float64) * gain).astype(np.int16)
            return faded
        if not self._frames:
            self._playing = False  # underrun: fill up to the target again
            self._last = None
        return self._silence()

    def _silence(self) -> Pcm:
        return np.zeros(self.frame_samples, dtype=np.int16)
