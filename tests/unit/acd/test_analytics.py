"""Queue analytics over a period (pbx_core/acd/analytics.py, S7)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pbx_core.acd.analytics import Period, analyse, period_range
from pbx_core.acd.calls import Outcome, QueueCall

TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 12, 4, 15, 30, tzinfo=TZ)  # a Friday afternoon


def _call(
    n: int, at: datetime, outcome: Outcome, waited: float, agent: str | None = None
) -> QueueCall:
    return QueueCall(
        id=n, call_id=f"c{n}", queue="1500", caller=f"+3120{n:07d}", caller_name=None,
        arrived_at=at, answered_at=at if outcome == "answered" else None, ended_at=None,
        agent=agent, outcome=outcome, overflow_reason=None, forwarded_to=None, waited_s=waited,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("today", datetime(2026, 12, 4, tzinfo=TZ), datetime(2026, 12, 5, tzinfo=TZ)),
        ("yesterday", datetime(2026, 12, 3, tzinfo=TZ), datetime(2026, 12, 4, tzinfo=TZ)),
        ("this_week", datetime(2026, 11, 30, tzinfo=TZ), datetime(2026, 12, 5, tzinfo=TZ)),
        ("last_7_days", datetime(2026, 11, 28, tzinfo=TZ), datetime(2026, 12, 5, tzinfo=TZ)),
        ("last_30_days", datetime(2026, 11, 5, tzinfo=TZ), datetime(2026, 12, 5, tzinfo=TZ)),
    ],
)
def test_periods_follow_the_calendar(period: Period, start: datetime, end: datetime) -> None:
    assert period_range(period, NOW) == (start, end)


def test_the_figures_of_a_day() -> None:
    calls = [
        _call(1, NOW.replace(hour=9, minute=5), "answered", 12.0, "202"),
        _call(2, NOW.replace(hour=9, minute=40), "answered", 30.0, "201"),
        _call(3, NOW.replace(hour=9, minute=50), "answered", 18.0, "202"),
        _call(4, NOW.replace(hour=11), "abandoned", 95.0),
        _call(5, NOW.replace(hour=14), "overflow", 300.0),
        _call(6, NOW - timedelta(days=1), "answered", 5.0, "203"),  # yesterday
    ]
    today = analyse("today", NOW, calls)
    assert (today.total, today.answered, today.abandoned, today.forwarded) == (5, 3, 1, 1)
    assert today.average_wait_s == pytest.approx(20.0)
    assert today.longest_wait_s == 300.0
    assert today.service_level == pytest.approx(2 / 4)  # 12 s and 18 s of 3 answered + 1 lost
    assert today.busiest_hour == 9
    assert [(a.extension, a.answered, a.average_wait_s) for a in today.agents] == [
        ("202", 2, 15.0),
        ("201", 1, 30.0),
    ]
    yesterday = analyse("yesterday", NOW, calls)
    assert (yesterday.total, yesterday.agents[0].extension) == (1, "203")


def test_an_empty_period_has_nothing_to_measure() -> None:
    empty = analyse("last_7_days", NOW, [])
    assert (empty.total, empty.average_wait_s, empty.service_level, empty.busiest_hour) == (
        0,
        None,
        None,
        None,
    )
