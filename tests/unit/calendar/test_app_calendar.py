"""The desktop side of plans: the event, the rows of the API, the plan that applies now."""

from __future__ import annotations

import datetime as dt

from app.server_events import PlansChanged, parse_event
from app.stores.calendar import CalendarStore, PlanDraft, PlanEntry

UTC = dt.UTC


def _row(plan_id: int, start: str, end: str, overlaps: list[int]) -> dict[str, object]:
    return {
        "id": plan_id,
        "name": f"Plan {plan_id}",
        "status": "meeting",
        "start": "2027-01-04T09:00:00",
        "end": "2027-01-04T10:00:00",
        "all_day": False,
        "time_zone": "Europe/Amsterdam",
        "repeat": "weekly",
        "rrule": "FREQ=WEEKLY",
        "note": None,
        "occurrences": [{"start": start, "end": end}],
        "overlaps": overlaps,
    }


def test_the_plans_changed_event_is_parsed() -> None:
    message = {
        "seq": 3,
        "type": "plans.changed",
        "data": {"extension": "201", "plan_id": 7, "change": "created"},
    }
    assert parse_event(message) == PlansChanged("201", 7, "created")


def test_rows_parse_and_the_last_started_plan_applies() -> None:
    first = PlanEntry.from_api(_row(1, "2027-01-04T08:00:00Z", "2027-01-04T10:00:00Z", [2]))
    second = PlanEntry.from_api(_row(2, "2027-01-04T09:00:00Z", "2027-01-04T09:30:00Z", [1]))
    assert first.draft.repeat == "weekly" and first.draft.rrule is None
    assert first.runs[0].start == dt.datetime(2027, 1, 4, 8, tzinfo=UTC)
    store = CalendarStore()
    seen: list[object] = []
    store.changed.connect(seen.append)
    window = (dt.datetime(2027, 1, 4, tzinfo=UTC), dt.datetime(2027, 1, 11, tzinfo=UTC))
    store.set_plans(window, [first, second])
    assert seen == [frozenset({"plans"})]
    running = store.running(dt.datetime(2027, 1, 4, 9, 15, tzinfo=UTC))
    assert running is not None and running[0].id == 2
    running = store.running(dt.datetime(2027, 1, 4, 9, 45, tzinfo=UTC))
    assert running is not None and running[0].id == 1
    assert store.running(dt.datetime(2027, 1, 4, 10, tzinfo=UTC)) is None


def test_a_draft_is_sent_as_wall_clock_time() -> None:
    draft = PlanDraft(
        "Day off",
        "vacation",
        dt.datetime(2027, 1, 6),
        dt.datetime(2027, 1, 7),
        all_day=True,
        repeat="custom",
        rrule="FREQ=YEARLY",
        time_zone="Europe/Amsterdam",
    )
    assert draft.to_api() == {
        "name": "Day off",
        "status": "vacation",
        "start": "2027-01-06T00:00:00",
        "end": "2027-01-07T00:00:00",
        "all_day": True,
        "time_zone": "Europe/Amsterdam",
        "repeat": "custom",
        "rrule": "FREQ=YEARLY",
        "note": None,
    }
