"""Per-source connection counts and the filter that logs a repeated error once with a count."""

from __future__ import annotations

import asyncio
import logging

from pbx_core.signaling.transport import TcpPolicy
from server.connections import RepeatFilter, SourceCounter, report_held_back


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
    passed = [
        repeats.filter(_record("socket.accept() out of system resource")) for _ in range(52_991)
    ]
    assert not any(passed)
    assert repeats.filter(_record("another error"))
    clock.now = 61.0
    record = _record("socket.accept() out of system resource")
    assert repeats.filter(record)
    assert record.getMessage().endswith("(and 52991 more like it)")


def test_a_flood_that_stopped_is_reported_with_its_count_once_the_window_is_over() -> None:
    clock = _Clock()
    repeats = RepeatFilter(window=60.0, clock=clock)
    for _ in range(1000):
        repeats.filter(_record("socket.accept() out of system resource"))
    repeats.filter(_record("once only"))
    clock.now = 59.0
    assert repeats.overdue() == []
    clock.now = 60.0
    (summary,) = repeats.overdue()
    assert (summary.name, summary.levelno) == ("asyncio", logging.ERROR)
    assert summary.getMessage() == "socket.accept() out of system resource (and 999 more like it)"
    assert repeats.overdue() == []  # told once
    assert repeats.filter(_record("socket.accept() out of system resource"))  # passes afresh


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def test_the_server_logs_what_a_stopped_flood_held_back() -> None:
    clock = _Clock()
    handler = _Kept()
    handler.addFilter(RepeatFilter(window=60.0, clock=clock))
    flood = logging.getLogger("test.flood")
    root = logging.getLogger()
    root.addHandler(handler)
    reporting = asyncio.create_task(report_held_back(period=0.01))
    try:
        for _ in range(5):
            flood.error("too many open files")
        clock.now = 60.0
        for _ in range(1000):  # the report comes within a few periods
            if len(handler.lines) == 2:
                break
            await asyncio.sleep(0.01)
    finally:
        reporting.cancel()
        root.removeHandler(handler)
    assert handler.lines == ["too many open files", "too many open files (and 4 more like it)"]


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
