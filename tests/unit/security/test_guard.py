"""The failure guard: blocks after N failures in a window, lifts by itself, bounded memory."""

from __future__ import annotations

import pytest

from pbx_core.guard import FailureGuard, GuardPolicy

KEYS = ("user:201", "source:192.0.2.7")


def test_blocks_after_max_failures_and_lifts_by_itself() -> None:
    guard = FailureGuard(GuardPolicy(max_failures=3, window=60.0, block_seconds=30.0))
    assert guard.failed(KEYS, 0.0) == []
    assert guard.failed(KEYS, 1.0) == []
    assert guard.retry_after(KEYS, 1.5) is None
    assert guard.failed(KEYS, 2.0) == list(KEYS)
    assert guard.retry_after(KEYS, 2.0) == 30.0
    assert guard.retry_after(("user:201",), 31.0) == 1.0
    assert guard.retry_after(KEYS, 32.0) is None


def test_failures_outside_the_window_do_not_count() -> None:
    guard = FailureGuard(GuardPolicy(max_failures=3, window=10.0, block_seconds=30.0))
    guard.failed(KEYS, 0.0)
    guard.failed(KEYS, 1.0)
    assert guard.failed(KEYS, 20.0) == []
    assert guard.retry_after(KEYS, 20.0) is None


def test_one_blocked_key_blocks_the_attempt() -> None:
    guard = FailureGuard(GuardPolicy(max_failures=2, block_seconds=5.0))
    for user in ("201", "202"):
        guard.failed((f"user:{user}", "source:a"), 0.0)
    assert guard.retry_after(("user:203", "source:a"), 0.0) == 5.0
    assert guard.retry_after(("user:203", "source:b"), 0.0) is None


def test_success_forgets_the_failures_of_that_key() -> None:
    guard = FailureGuard(GuardPolicy(max_failures=2))
    guard.failed(("user:201",), 0.0)
    guard.succeeded("user:201")
    assert guard.failed(("user:201",), 1.0) == []


def test_memory_is_bounded() -> None:
    guard = FailureGuard(GuardPolicy(max_failures=5, max_keys=100))
    for n in range(1000):
        guard.failed((f"user:{n}",), float(n))
    assert len(guard._keys) <= 100


def test_bad_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="max_failures"):
        GuardPolicy(max_failures=0)
