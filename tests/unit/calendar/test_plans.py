"""Plans, their occurrences, overlaps and the scheduler, fed times by hand (no clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from pbx_core.calendar.model import Plan, expand, overlapping, validate
from pbx_core.calendar.scheduler import ApplyStatus, PlanScheduler, ReturnToAvailable, current

AMS = "Europe/Amsterdam"


def plan(
    pid: int = 1,
    start: datetime = datetime(2026, 12, 7, 9, 0),
    end: datetime = datetime(2026, 12, 7, 10, 0),
    **kw: object,
) -> Plan:
    fields: dict[str, object] = {
        "extension": "201",
        "name": "Team meeting",
        "status": "meeting",
        "time_zone": AMS,
    }
    fields.update(kw)
    return Plan(pid, start=start, end=end, **fields)  # type: ignore[arg-type]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_single_plan_has_one_occurrence_in_utc() -> None:
    (o,) = expand(plan(), utc(2026, 12, 1), utc(2026, 12, 31))
    assert (o.start, o.end) == (utc(2026, 12, 7, 8), utc(2026, 12, 7, 9))
    assert expand(plan(), utc(2026, 12, 8), utc(2026, 12, 9)) == []


def test_a_weekly_plan_keeps_its_wall_clock_time_across_dst() -> None:
    weekly = plan(
        start=datetime(2026, 3, 23, 9, 0), end=datetime(2026, 3, 23, 10, 0), repeat="weekly"
    )
    found = expand(weekly, utc(2026, 3, 20), utc(2026, 4, 4))
    # Amsterdam moves to summer time on 29 March 2026: 09:00 is 08:00 UTC before, 07:00 after
    assert [o.start for o in found] == [utc(2026, 3, 23, 8), utc(2026, 3, 30, 7)]
    assert all(o.end - o.start == timedelta(hours=1) for o in found)


def test_an_all_day_plan_runs_from_midnight_to_midnight_local() -> None:
    day = plan(
        start=datetime(2026, 12, 24), end=datetime(2026, 12, 27), all_day=True, status="vacation"
    )
    validate(day)
    (o,) = expand(day, utc(2026, 12, 1), utc(2027, 1, 1))
    assert (o.start, o.end) == (utc(2026, 12, 23, 23), utc(2026, 12, 26, 23))


def test_custom_rule_every_weekday() -> None:
    p = plan(repeat="custom", rrule="RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3")
    validate(p)
    starts = [o.start.date().isoformat() for o in expand(p, utc(2026, 12, 1), utc(2027, 2, 1))]
    assert starts == ["2026-12-07", "2026-12-09", "2026-12-14"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"repeat": "custom", "rrule": "FREQ=SOMETIMES"}, "bad RRULE"),
        ({"repeat": "custom", "rrule": "BYDAY=MO"}, "bad RRULE"),
        ({"repeat": "custom", "rrule": ""}, "needs an RRULE"),
        ({"repeat": "custom", "rrule": "FREQ=MINUTELY"}, "more often than hourly"),
        ({"end": datetime(2026, 12, 7, 8, 0)}, "end must be after start"),
        ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"all_day": True}, "midnight"),
        ({"name": " "}, "needs a name"),
        ({"start": datetime(1, 1, 1)}, "between the years 1900 and 2999"),
        ({"end": datetime(9999, 12, 31)}, "between the years 1900 and 2999"),
    ],
)
def test_bad_plans_are_refused_with_a_reason(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        validate(replace(plan(), **changes))  # type: ignore[arg-type]


def test_overlapping_plans_of_the_same_user_are_reported() -> None:
    daily = plan(1, repeat="daily")
    meeting = plan(2, start=datetime(2026, 12, 9, 9, 30), end=datetime(2026, 12, 9, 11, 0))
    other_user = plan(3, extension="202")
    later = plan(4, start=datetime(2026, 12, 9, 10, 0), end=datetime(2026, 12, 9, 12, 0))
    window = (utc(2026, 12, 1), utc(2027, 12, 1))
    assert overlapping(meeting, [daily, other_user, later], *window) == [1, 4]
    assert overlapping(daily, [meeting, other_user], *window) == [2]
    assert overlapping(later, [daily], *window) == []


def test_the_scheduler_applies_a_weekly_plan_at_its_start_and_ends_it() -> None:
    weekly = plan(repeat="weekly")
    s = PlanScheduler()
    before = s.step(utc(2026, 12, 7, 7), [weekly])
    assert before.actions == [] and before.next_at == utc(2026, 12, 7, 8)
    started = s.step(utc(2026, 12, 7, 8), [weekly])
    assert started.actions == [ApplyStatus("201", 1, "meeting", utc(2026, 12, 7, 9))]
    assert started.next_at == utc(2026, 12, 7, 9)
    assert s.step(utc(2026, 12, 7, 8, 30), [weekly]).actions == []
    ended = s.step(utc(2026, 12, 7, 9), [weekly])
    assert ended.actions == [ReturnToAvailable("201", 1, "meeting", utc(2026, 12, 7, 9))]
    assert ended.next_at == utc(2026, 12, 14, 8)


def test_a_fresh_scheduler_applies_the_plan_running_now() -> None:
    """After a restart in the middle of a plan its status is set again, until its end."""
    s = PlanScheduler()
    step = s.step(utc(2026, 12, 7, 8, 40), [plan()])
    assert step.actions == [ApplyStatus("201", 1, "meeting", utc(2026, 12, 7, 9))]


def test_overlap_the_later_start_wins_then_the_earlier_resumes() -> None:
    long = plan(
        1, start=datetime(2026, 12, 7, 9), end=datetime(2026, 12, 7, 12), status="not_present"
    )
    short = plan(2, start=datetime(2026, 12, 7, 10), end=datetime(2026, 12, 7, 11))
    s = PlanScheduler()
    assert s.step(utc(2026, 12, 7, 8), [long, short]).actions[0].plan_id == 1
    assert s.step(utc(2026, 12, 7, 9), [long, short]).actions == [
        ApplyStatus("201", 2, "meeting", utc(2026, 12, 7, 10))
    ]
    back = s.step(utc(2026, 12, 7, 10), [long, short])
    assert back.actions == [ApplyStatus("201", 1, "not_present", utc(2026, 12, 7, 11))]
    assert back.next_at == utc(2026, 12, 7, 11)


def test_a_deleted_running_plan_returns_to_available() -> None:
    s = PlanScheduler()
    s.step(utc(2026, 12, 7, 8, 10), [plan()])
    assert s.step(utc(2026, 12, 7, 8, 20), []).actions == [
        ReturnToAvailable("201", 1, "meeting", utc(2026, 12, 7, 9))
    ]


def test_current_over_dst_end_uses_the_longer_night() -> None:
    """A night plan 22:00-06:00 over the end of summer time lasts nine real hours."""
    night = plan(start=datetime(2026, 10, 24, 22), end=datetime(2026, 10, 25, 6), status="dnd")
    (o,) = expand(night, utc(2026, 10, 1), utc(2026, 11, 1))
    assert o.end - o.start == timedelta(hours=9)
    assert current(utc(2026, 10, 25, 4, 30), [night]) == o


def test_a_plan_that_began_long_ago_applies_in_its_latest_run() -> None:
    yearly_start = plan(
        start=datetime(2020, 12, 7, 9), end=datetime(2020, 12, 7, 10), repeat="weekly"
    )
    found = current(utc(2026, 12, 7, 8, 30), [yearly_start])
    assert found is not None and (found.start, found.end) == (
        utc(2026, 12, 7, 8),
        utc(2026, 12, 7, 9),
    )
