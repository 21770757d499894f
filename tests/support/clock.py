"""A clock a test moves by hand, for code that takes ``clock: Callable[[], T]``."""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["SettableClock"]

T = TypeVar("T")


class SettableClock(Generic[T]):
    """``clock()`` is ``clock.now``; a test sets ``now`` to move time on."""

    def __init__(self, now: T) -> None:
        self.now = now

    def __call__(self) -> T:
        return self.now
