"""Who clocks the conference bridge: the null sound device while calls carry media.

A running clock wakes pjmedia's clock thread ``1000 / frame_ms`` times a
second, with or without calls, so it runs only while some call has media and a
short while after (the bridge applies queued port removals, such as a closing
recorder, only on a tick). An idle engine then has no media thread at all.
"""

from __future__ import annotations

import math
import time
from typing import Any

from sip._endpoint import set_clock

__all__ = ["ConferenceClock"]

LINGER_S = 0.5


class ConferenceClock:
    """Starts the bridge's clock at once and stops it ``linger_s`` after the last media."""

    def __init__(self, ep: Any, linger_s: float = LINGER_S) -> None:
        self._ep = ep
        self._linger_s = linger_s
        self._running = False
        self._stop_at: float | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self._running

    def want(self, running: bool) -> None:
        """Some call has media (start now) or none has (stop after the linger)."""
        if running:
            self._stop_at = None
            if not self._running:
                set_clock(self._ep, True)
                self._running = True
                self.starts += 1
        elif self._running and self._stop_at is None:
            self._stop_at = time.monotonic() + self._linger_s

    def timeout_ms(self, timeout_ms: int) -> int:
        """Shorten the event wait so the clock stops when the linger ends."""
        if self._stop_at is None:
            return timeout_ms
        left = math.ceil((self._stop_at - time.monotonic()) * 1000)
        return max(1, min(timeout_ms, left))

    def stop(self) -> None:
        """Stop the clock now (at shutdown: pjmedia joins its thread, so no port is called
        after this returns)."""
        if self._running:
            set_clock(self._ep, False)
        self._running = False
        self._stop_at = None

    def tick(self, hold: bool) -> None:
        """Stop the clock once the linger is over, unless ``hold`` (work needs ticks)."""
        if self._stop_at is None or hold or time.monotonic() < self._stop_at:
            return
        set_clock(self._ep, False)
        self._running = False
        self._stop_at = None
