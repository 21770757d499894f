"""The statistics tiles of a queue (S6): its agents and waiting callers now, and the calls of
today ("in period") and of the last 24 hours from the queue call log. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pbx_core.acd.calls import QueueCall
from pbx_core.acd.model import AgentState, QueueLive

__all__ = [
    "CallCounts",
    "QueueStats",
    "agent_counts",
    "count_calls",
    "queue_stats",
    "window_start",
]

DAY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class CallCounts:
    total: int = 0
    answered: int = 0
    abandoned: int = 0


@dataclass(frozen=True, slots=True)
class QueueStats:
    """One queue's tiles. Waits in seconds; None where there is nothing to measure."""

    agents_available: int
    agents_logged_in: int
    waiting: int
    longest_wait_s: float | None
    average_wait_s: float | None  # of today's answered calls (seed 000: total wait / answered)
    last_wait_s: float | None  # of the answered call that left the queue last (last 24 h)
    today: CallCounts
    last_24h: CallCounts


def window_start(now: datetime) -> datetime:
    """From when calls are read for the tiles: 24 hours back (midnight is never earlier)."""
    return now - DAY


def count_calls(calls: Iterable[QueueCall]) -> CallCounts:
    total = answered = abandoned = 0
    for call in calls:
        total += 1
        answered += call.outcome == "answered"
        abandoned += call.outcome == "abandoned"
    return CallCounts(total, answered, abandoned)


def agent_counts(agents: Mapping[str, AgentState], live: QueueLive | None) -> tuple[int, int]:
    """(available, logged in): from ``live`` when the queue engine runs, else a stored
    ``logged_in`` agent counts as available and a paused one as logged in only."""
    if live is None:
        available = sum(1 for a in agents.values() if a.status == "logged_in")
        return available, sum(1 for a in agents.values() if a.status != "logged_out")
    available = sum(1 for a in live.agents if a.available)
    return available, sum(1 for a in live.agents if a.status != "logged_out")


def queue_stats(
    now: datetime,
    calls: Sequence[QueueCall],
    agents: Mapping[str, AgentState],
    live: QueueLive | None,
    clock_now: float,
) -> QueueStats:
    """The tiles at ``now`` (aware; "today" starts at its midnight) from ``calls`` (those of
    the last 24 h), the stored ``agents`` and, when the queue engine runs, ``live`` with its
    clock reading ``clock_now``."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    recent = [c for c in calls if now - DAY <= c.arrived_at <= now]
    today = [c for c in recent if c.arrived_at >= midnight]
    answered_today = [c for c in today if c.outcome == "answered"]
    last = max((c for c in recent if c.outcome == "answered"), key=lambda c: c.id, default=None)
    available, logged_in = agent_counts(agents, live)
    waiting = len(live.waiting) if live is not None else 0
    longest = max(
        (max(0.0, clock_now - w.waiting_since) for w in (live.waiting if live else ())),
        default=None,
    )
    return QueueStats(
        agents_available=available,
        agents_logged_in=logged_in,
        waiting=waiting,
        longest_wait_s=longest,
        average_wait_s=(
            sum(c.waited_s for c in answered_today) / len(answered_today)
            if answered_today
            else None
        ),
        last_wait_s=last.waited_s if last is not None else None,
        today=count_calls(today),
        last_24h=count_calls(recent),
    )
