"""Queue analytics (S7): a queue's calls and its agents' answers over a period, from the queue
call log. Pure: the log is read by :mod:`pbx_core.acd.service`.

Periods follow the organisation's calendar: ``today`` and ``yesterday`` from midnight to
midnight, ``this_week`` from Monday's midnight, ``last_7_days`` and ``last_30_days`` the whole
days before and including today. The service level is the share of calls answered within
:data:`SERVICE_LEVEL_S` seconds of waiting, of the calls that were answered or given up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, TypeAlias, get_args

from pbx_core.acd.calls import QueueCall

__all__ = [
    "PERIODS",
    "SERVICE_LEVEL_S",
    "AgentFigures",
    "Period",
    "QueueAnalytics",
    "analyse",
    "period_range",
]

Period: TypeAlias = Literal["today", "yesterday", "this_week", "last_7_days", "last_30_days"]
PERIODS: tuple[Period, ...] = get_args(Period)
SERVICE_LEVEL_S = 20.0


@dataclass(frozen=True, slots=True)
class AgentFigures:
    """One agent's answered queue calls in the period and the callers' mean wait for them."""

    extension: str
    answered: int
    average_wait_s: float


@dataclass(frozen=True, slots=True)
class QueueAnalytics:
    period: Period
    start: datetime
    end: datetime
    total: int
    answered: int
    abandoned: int
    forwarded: int
    average_wait_s: float | None  # of the answered calls
    longest_wait_s: float | None  # of every call
    service_level: float | None  # 0..1; None when nothing was answered or given up
    busiest_hour: int | None  # the hour of the day (0-23) most calls arrived in
    agents: tuple[AgentFigures, ...]


def period_range(period: Period, now: datetime) -> tuple[datetime, datetime]:
    """``[start, end)`` of ``period`` around ``now`` (aware, the organisation's time)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight + timedelta(days=1)
    if period == "today":
        return midnight, tomorrow
    if period == "yesterday":
        return midnight - timedelta(days=1), midnight
    if period == "this_week":
        return midnight - timedelta(days=midnight.weekday()), tomorrow
    days = 7 if period == "last_7_days" else 30
    return tomorrow - timedelta(days=days), tomorrow


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def analyse(period: Period, now: datetime, calls: Iterable[QueueCall]) -> QueueAnalytics:
    """The figures of ``calls`` (any; those outside the period are left out)."""
    start, end = period_range(period, now)
    inside = [c for c in calls if start <= c.arrived_at < end]
    answered = [c for c in inside if c.outcome == "answered"]
    abandoned = [c for c in inside if c.outcome == "abandoned"]
    forwarded = [c for c in inside if c.outcome == "overflow"]
    counted = len(answered) + len(abandoned)
    quick = sum(1 for c in answered if c.waited_s <= SERVICE_LEVEL_S)
    hours: dict[int, int] = {}
    for call in inside:
        hour = call.arrived_at.astimezone(now.tzinfo).hour
        hours[hour] = hours.get(hour, 0) + 1
    per_agent: dict[str, list[float]] = {}
    for call in answered:
        if call.agent:
            per_agent.setdefault(call.agent, []).append(call.waited_s)
    agents = tuple(
        AgentFigures(extension, len(waits), sum(waits) / len(waits))
        for extension, waits in sorted(per_agent.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    return QueueAnalytics(
        period=period,
        start=start,
        end=end,
        total=len(inside),
        answered=len(answered),
        abandoned=len(abandoned),
        forwarded=len(forwarded),
        average_wait_s=_mean([c.waited_s for c in answered]),
        longest_wait_s=max((c.waited_s for c in inside), default=None),
        service_level=quick / counted if counted else None,
        busiest_hour=max(sorted(hours), key=lambda h: hours[h]) if hours else None,
        agents=agents,
    )
