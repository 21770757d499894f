"""The statistics tiles of a queue (pbx_core/acd/stats.py) and the call log's kinds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pbx_core.acd.calls import Outcome, QueueCall, kind_of
from pbx_core.acd.model import AgentLive, AgentState, QueueLive, WaitingCaller
from pbx_core.acd.stats import CallCounts, queue_stats

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def call(n: int, hours_ago: float, outcome: Outcome, waited: float) -> QueueCall:
    arrived = NOW - timedelta(hours=hours_ago)
    return QueueCall(
        n, f"c{n}", "1500", "+31201234567", None, arrived, None, None, None, outcome, None,
        None, waited,
    )  # fmt: skip


AGENTS = {
    "202": AgentState("1500", "202", "logged_in"),
    "201": AgentState("1500", "201", "paused"),
    "204": AgentState("1500", "204", "logged_out"),
}


def test_the_tiles_count_today_and_the_last_24_hours_from_the_log() -> None:
    calls = [
        call(1, 20, "answered", 4.0),  # yesterday 19:00
        call(2, 3, "abandoned", 30.0),
        call(4, 2, "answered", 10.0),
        call(3, 1, "overflow", 20.0),  # logged before 4, left the queue after it
    ]
    stats = queue_stats(NOW, calls, AGENTS, None, 0.0)
    assert stats.today == CallCounts(total=3, answered=1, abandoned=1)
    assert stats.last_24h == CallCounts(total=4, answered=2, abandoned=1)
    assert stats.average_wait_s == 10.0  # of today's answered calls only (seed 000)
    assert stats.last_wait_s == 10.0  # the answered call logged last
    assert (stats.agents_available, stats.agents_logged_in) == (1, 2)
    assert (stats.waiting, stats.longest_wait_s) == (0, None)


def test_no_calls_leave_the_waits_empty() -> None:
    stats = queue_stats(NOW, [], {}, None, 0.0)
    assert stats.today == stats.last_24h == CallCounts()
    assert stats.average_wait_s is None and stats.last_wait_s is None
    assert stats.agents_available == stats.agents_logged_in == 0


def test_the_engines_live_view_gives_who_waits_and_who_is_free() -> None:
    live = QueueLive(
        "1500",
        waiting=(WaitingCaller("a", "0201", None, 100.0), WaitingCaller("b", "0202", "Jan", 130.0)),
        agents=(
            AgentLive("202", "logged_in", available=False, busy=True),
            AgentLive("201", "logged_in", available=True),
            AgentLive("204", "paused", available=False),
        ),
    )
    stats = queue_stats(NOW, [], AGENTS, live, 145.0)
    assert (stats.waiting, stats.longest_wait_s) == (2, 45.0)
    assert (stats.agents_available, stats.agents_logged_in) == (1, 3)


def test_a_call_is_answered_forwarded_or_missed() -> None:
    assert kind_of("answered", None) == "answered"
    assert kind_of("overflow", "204") == "forwarded"
    assert kind_of("overflow", None) == "missed"  # busy or goodbye: nowhere to go
    assert kind_of("abandoned", None) == "missed"
