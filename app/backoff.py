"""Delays between reconnect or restart attempts: exponential, capped, reset on success.

Pure (no clock, no randomness unless given a jitter source) so it is unit tested directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Backoff"]


@dataclass(slots=True)
class Backoff:
    """``first * factor**n`` seconds for the n-th attempt, at most ``cap``."""

    first: float = 0.5
    factor: float = 2.0
    cap: float = 30.0
    jitter: Callable[[], float] | None = None
    attempts: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.first <= 0 or self.cap < self.first:
            raise ValueError("backoff needs 0 < first <= cap")
        if self.factor < 1:
            raise ValueError("backoff factor must be at least 1")

    def next_delay(self) -> float:
        """The delay before the next attempt; each call counts one attempt."""
        delay = min(self.cap, self.first * self.factor**self.attempts)
        self.attempts += 1
        if self.jitter is not None:
            delay = min(self.cap, delay * (1.0 + 0.25 * self.jitter()))
        return delay

    def reset(self) -> None:
        """After a success: the next failure waits ``first`` again."""
        self.attempts = 0
