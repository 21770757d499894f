"""Blocks guessing: a user name or a source that failed to sign in too often is refused a while.

One pure class, used by SIP digest authentication (REGISTER, INVITE) and by the HTTP API's
sign-in. It counts failures per key (``"user:201"``, ``"source:192.0.2.7"``) in a sliding
window; after ``max_failures`` within ``window`` seconds the key is blocked for ``block_seconds``
and then lifts by itself. While any key of an attempt is blocked the attempt is refused even
with the right password, so a guesser learns nothing from a block. No clock of its own: every
call takes ``now`` (seconds, any monotonic origin). Memory is bounded by ``max_keys``.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["FailureGuard", "GuardPolicy"]


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    """How many failures within how long block a key, and for how long."""

    max_failures: int = 10
    window: float = 60.0
    block_seconds: float = 60.0
    max_keys: int = 10_000

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.window <= 0 or self.block_seconds <= 0:
            raise ValueError("guard policy needs max_failures >= 1 and positive times")


class _Key:
    __slots__ = ("blocked_until", "failures")

    def __init__(self) -> None:
        self.failures: deque[float] = deque()
        self.blocked_until = 0.0


class FailureGuard:
    """Failure counts and blocks of user names and sources; the caller passes the clock."""

    def __init__(self, policy: GuardPolicy | None = None) -> None:
        self.policy = policy or GuardPolicy()
        self._keys: OrderedDict[str, _Key] = OrderedDict()

    def retry_after(self, keys: Iterable[str], now: float) -> float | None:
        """Seconds until every blocked key among ``keys`` lifts; ``None`` when none is blocked."""
        waits = [
            entry.blocked_until - now
            for key in keys
            if (entry := self._keys.get(key)) is not None and entry.blocked_until > now
        ]
        return max(waits) if waits else None

    def failed(self, keys: Iterable[str], now: float) -> list[str]:
        """Count one failure for each key; returns the keys this failure blocked."""
        blocked: list[str] = []
        policy = self.policy
        for key in keys:
            entry = self._keys.get(key)
            if entry is None:
                entry = self._keys[key] = _Key()
                self._trim(now)
            else:
                self._keys.move_to_end(key)
            failures = entry.failures
            failures.append(now)
            while failures and failures[0] <= now - policy.window:
                failures.popleft()
            if len(failures) >= policy.max_failures and entry.blocked_until <= now:
                entry.blocked_until = now + policy.block_seconds
                failures.clear()
                blocked.append(key)
        return blocked

    def failures(self, key: str, now: float) -> int:
        """Failures of ``key`` within the window (how suspicious it is, for queueing)."""
        entry = self._keys.get(key)
        if entry is None:
            return 0
        return sum(1 for at in entry.failures if at > now - self.policy.window)

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key`` (a user who typed the right password at last)."""
        entry = self._keys.get(key)
        if entry is not None:
            entry.failures.clear()

    def _trim(self, now: float) -> None:
        """Keep at most ``max_keys`` keys: drop idle ones first, then the least recently used."""
        if len(self._keys) <= self.policy.max_keys:
            return
        horizon = now - self.policy.window
        for key in [
            k for k, e in self._keys.items()
            if e.blocked_until <= now and (not e.failures or e.failures[-1] <= horizon)
        ]:
            del self._keys[key]
        while len(self._keys) > self.policy.max_keys:
            self._keys.popitem(last=False)
