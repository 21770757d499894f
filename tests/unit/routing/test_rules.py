"""Routing rules (P5, docs/routing.md "Routing rules"): the order of the scopes, each condition,
time of day in the organisation's time zone, the defaults as the fallback of the same table,
and the JSON form with its exact errors."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from pbx_core.presence import STATUSES
from pbx_core.routing.decision import CalleeState, CallFlow, route_call
from pbx_core.routing.rules import (
    Conditions,
    Rule,
    RuleSet,
    Step,
    TimeWindow,
    merged,
    rule_from_dict,
    rule_to_dict,
)

SOFTPHONE_THEN_MOBILE = (Step(0, "softphone"), Step(5, "mobile"))
MOBILE = (Step(0, "mobile"),)
VOICEMAIL = (Step(0, "voicemail"),)
MONDAY_10 = datetime(2026, 12, 7, 10, 0)  # a Monday


def _rule(steps: tuple[Step, ...], name: str = "", **when: object) -> Rule:
    return Rule(Conditions(**when), steps, name)  # type: ignore[arg-type]


def test_no_rules_the_fallback_is_todays_defaults() -> None:
    plan = route_call(CalleeState("201"))
    assert (plan.scope, plan.row, plan.rule) == ("fallback", "ring", None)
    assert plan.steps == (Step(0, "all_devices"), Step(20.0, "voicemail"))
    assert route_call(CalleeState("201", registered=False)).steps == VOICEMAIL
    assert route_call(CalleeState("201", status="dnd")).steps == VOICEMAIL
    assert route_call(CalleeState("201", status="dnd"), caller_vip=True).row == "ring"


def test_required_wins_over_own_and_own_over_overridable() -> None:
    required = _rule(MOBILE, "reception")
    own = _rule(SOFTPHONE_THEN_MOBILE, "mine")
    overridable = _rule(VOICEMAIL, "org default")
    callee = CalleeState("201")
    every = merged(RuleSet((required,), (own,), (overridable,)))
    assert route_call(callee, every).rule == required
    assert route_call(callee, merged(RuleSet((), (own,), (overridable,)))).rule == own
    plan = route_call(callee, merged(RuleSet((), (), (overridable,))))
    assert (plan.scope, plan.steps) == ("overridable", VOICEMAIL)


def test_an_own_rule_with_the_same_conditions_replaces_an_overridable_one() -> None:
    over = _rule(VOICEMAIL, statuses=frozenset({"lunch"}))
    own = _rule(MOBILE, statuses=frozenset({"lunch"}))
    other = _rule(VOICEMAIL, statuses=frozenset({"meeting"}))
    listed = merged(RuleSet((), (own,), (over, other)))
    assert [(r.scope, r.replaced) for r in listed] == [
        ("own", False),
        ("overridable", True),
        ("overridable", False),
    ]
    meeting = route_call(CalleeState("201", status="meeting"), listed)
    assert (meeting.scope, meeting.steps) == ("overridable", VOICEMAIL)


def test_a_required_rule_comes_before_forwarding_and_forwarding_before_own_rules() -> None:
    forwarded = CalleeState("201", forwarding="202")
    own = merged(RuleSet((), (_rule(MOBILE),), ()))
    assert route_call(forwarded, own).forward_to == "202"
    required = merged(RuleSet((_rule(VOICEMAIL),), (), ()))
    assert route_call(forwarded, required).steps == VOICEMAIL
    flow = CalleeState("201", status="lunch", call_flow=CallFlow("forward", "203"))
    assert route_call(flow, own).forward_to == "203"


@pytest.mark.parametrize(
    ("when", "callee", "vip", "matches"),
    [
        (
            {"statuses": frozenset({"meeting", "lunch"})},
            CalleeState("201", status="lunch"),
            False,
            True,
        ),
        ({"statuses": frozenset({"meeting"})}, CalleeState("201", status="lunch"), False, False),
        ({"registered": False}, CalleeState("201", registered=False), False, True),
        ({"registered": False}, CalleeState("201"), False, False),
        ({"busy": True}, CalleeState("201", line_busy=True), False, True),
        ({"busy": True}, CalleeState("201"), False, False),
        ({"caller_vip": True}, CalleeState("201"), True, True),
        ({"caller_vip": True}, CalleeState("201"), False, False),
        ({"caller_vip": False}, CalleeState("201"), True, False),
        ({}, CalleeState("201", status="vacation", line_busy=True), True, True),
    ],
)
def test_each_condition(
    when: dict[str, object], callee: CalleeState, vip: bool, matches: bool
) -> None:
    rules = merged(RuleSet((), (_rule(MOBILE, **when),), ()))
    plan = route_call(callee, rules, caller_vip=vip, local=MONDAY_10)
    assert (plan.scope == "own") is matches


def test_time_of_day_on_weekdays() -> None:
    office = TimeWindow(time(8, 0), time(17, 0), frozenset(range(5)))
    assert office.contains(MONDAY_10)
    assert not office.contains(MONDAY_10.replace(hour=17))  # the end is exclusive
    assert not office.contains(MONDAY_10.replace(hour=7, minute=59))
    assert not office.contains(datetime(2026, 12, 12, 10, 0))  # a Saturday
    night = TimeWindow(time(22, 0), time(6, 0), frozenset({4}))  # Friday night
    assert night.contains(datetime(2026, 12, 11, 23, 0))  # Friday 23:00
    assert night.contains(datetime(2026, 12, 12, 5, 0))  # Saturday 05:00, still Friday's night
    assert not night.contains(datetime(2026, 12, 11, 5, 0))  # Friday 05:00 is Thursday's night
    rules = merged(RuleSet((), (_rule(MOBILE, window=office),), ()))
    assert route_call(CalleeState("201"), rules, local=MONDAY_10).scope == "own"
    evening = MONDAY_10.replace(hour=20)
    assert route_call(CalleeState("201"), rules, local=evening).scope == "fallback"
    assert route_call(CalleeState("201"), rules, local=None).scope == "fallback"


def test_time_of_day_is_read_on_the_organisations_clock() -> None:
    office = TimeWindow(time(8, 0), time(17, 0), frozenset(range(5)))
    utc = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam, 07:30 in London
    assert office.contains(utc.astimezone(ZoneInfo("Europe/Amsterdam")))
    assert not office.contains(utc.astimezone(ZoneInfo("Europe/London")))


def test_a_vip_rings_through_do_not_disturb_past_a_voicemail_rule() -> None:
    rules = merged(RuleSet((_rule(VOICEMAIL, statuses=frozenset({"dnd"})),), (), ()))
    dnd = CalleeState("201", status="dnd")
    assert route_call(dnd, rules).steps == VOICEMAIL
    assert route_call(dnd, rules, caller_vip=True).row == "ring"


def test_without_voicemail_a_rule_loses_its_voicemail_step() -> None:
    rules = merged(RuleSet((), (_rule((Step(0, "softphone"), Step(30, "voicemail"))),), ()))
    plan = route_call(CalleeState("201", voicemail=False), rules)
    assert plan.steps == (Step(0, "softphone"),)
    only_voicemail = merged(RuleSet((), (_rule(VOICEMAIL),), ()))
    assert route_call(CalleeState("201", voicemail=False), only_voicemail).row == "ring"


def test_json_round_trip() -> None:
    raw = {
        "name": "Mobile after 5 s",
        "when": {
            "statuses": ["available"],
            "registered": None,
            "busy": False,
            "time": {"start": "08:00", "end": "17:30", "days": ["mon", "fri"]},
            "caller_vip": None,
        },
        "steps": [
            {"after": 0.0, "destination": "softphone", "number": None, "keep_ringing": True},
            {"after": 5.0, "destination": "mobile", "number": None, "keep_ringing": False},
            {"after": 30.0, "destination": "voicemail", "number": None, "keep_ringing": True},
        ],
    }
    rule = rule_from_dict(raw, STATUSES)
    assert rule.when.window == TimeWindow(time(8, 0), time(17, 30), frozenset({0, 4}))
    assert rule.steps[1] == Step(5, "mobile", None, False)
    assert rule_to_dict(rule) == raw


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"steps": []}, "steps is a list of 1 to 10 steps"),
        ({"steps": [{"after": 5, "destination": "softphone"}]}, "the first step is at 0 seconds"),
        (
            {"steps": [{"destination": "softphone"}, {"after": 0, "destination": "mobile"}]},
            "steps are in order of time, each later than the one before",
        ),
        (
            {"steps": [{"destination": "voicemail"}, {"after": 5, "destination": "mobile"}]},
            "voicemail takes the call: it can only be the last step",
        ),
        ({"steps": [{"destination": "fax"}]}, "unknown destination 'fax'"),
        (
            {"steps": [{"destination": "number"}]},
            "a number step needs a number (digits, a leading +): None",
        ),
        (
            {
                "steps": [
                    {"destination": "queue", "number": "600"},
                    {"destination": "softphone", "after": 5},
                ]
            },
            "a queue takes the call: it can only be the last step",
        ),
        (
            {"when": {"statuses": ["asleep"]}, "steps": [{"destination": "softphone"}]},
            "no such status: 'asleep'",
        ),
        (
            {
                "when": {"time": {"start": "8:00", "end": "17:00"}},
                "steps": [{"destination": "softphone"}],
            },
            "time.start is a time of day as HH:MM: '8:00'",
        ),
        (
            {
                "when": {"time": {"start": "08:00", "end": "17:00", "days": ["someday"]}},
                "steps": [{"destination": "softphone"}],
            },
            "unknown day 'someday'; use mon, tue, wed, thu, fri, sat, sun",
        ),
    ],
)
def test_bad_rules_are_refused_with_the_reason(raw: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError) as caught:
        rule_from_dict(raw, STATUSES)
    assert str(caught.value) == error
