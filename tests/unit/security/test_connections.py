"""Per-source connection counts and the filter that logs a repeated error once with a count."""

from __future__ import annotations

import logging

from pbx_core.signaling.transport import TcpPolicy
from server.connections import RepeatFilter, SourceCounter


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _record(message: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("asyncio", level, __file__, 1, message, None, None)


def test_a_repeated_error_passes_once_then_with_a_count() -> None:
    clock = _Clock()
    repeats = RepeatFilter(window=60.0, clock=clock)
    assert repeats.filter(_record("socket.accept() out of system resource"))
    passed = [repeats.filter(_record("socket.accept() out of system resource"))
              for _ in range(52_991)]
    assert not any(passed)
    assert repeats.filter(_record("another error"))
    clock.now = 61.0
    record = _record("socket.accept() out of system resource")
    assert repeats.filter(record)
    assert record.getMessage().endswith("(and 52991 more like it)")


def test_info_lines_are_never_held_back() -> None:
    repeats = RepeatFilter(clock=_Clock())
    assert all(repeats.filter(_record("registered", logging.INFO)) for _ in range(5))


def test_source_counter_caps_each_source() -> None:
    counter = SourceCounter(2)
    assert counter.admit("a") and counter.admit("a")
    assert not counter.admit("a")
    assert counter.admit("b")
    counter.release("a")
    assert counter.admit("a")
    assert counter.count("a") == 2


def test_tcp_policy_closes_half_sent_and_idle_connections() -> None:
    policy = TcpPolicy(header_seconds=10.0, idle_seconds=100.0)
    assert policy.expired(5.0, last_data=0.0, partial_since=0.0) is None
    assert policy.expired(10.0, last_data=9.0, partial_since=0.0) == "message incomplete"
    assert policy.expired(99.0, last_data=0.0, partial_since=None) is None
    assert policy.expired(100.0, last_data=0.0, partial_since=None) == "idle"
    assert policy.next_check(0.0, 3.0) == 13.0
    assert policy.next_check(0.0, None) == 100.0
