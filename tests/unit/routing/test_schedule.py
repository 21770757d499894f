"""A rule's steps as phases of what rings when (docs/routing.md "Routing rules"): adding and
switching, voicemail, steps that would ring nothing, and which phone is the softphone; the
effective list of the API."""

from __future__ import annotations

from pbx_core.routing.decision import CallFlow
from pbx_core.routing.effective import effective_rules
from pbx_core.routing.rules import Conditions, Rule, RuleSet, Step, merged
from pbx_core.routing.schedule import Phase, Schedule, device_kind, schedule

EVERYTHING = frozenset({"softphone", "desk_phone", "mobile", "number:202"})


def _reachable(*keys: str) -> frozenset[str]:
    return frozenset(keys)


def test_softphone_then_the_mobile_then_voicemail() -> None:
    steps = (Step(0, "softphone"), Step(15, "mobile"), Step(30, "voicemail"))
    plan = schedule(steps, EVERYTHING.__contains__)
    assert plan == Schedule(
        (Phase(0, frozenset({"softphone"})), Phase(15, frozenset({"softphone", "mobile"}))), 30
    )
    assert plan.ringing_at(14.9) == {"softphone"}
    assert plan.ringing_at(15) == {"softphone", "mobile"}


def test_a_switch_stops_what_rang_before() -> None:
    steps = (Step(0, "all_devices"), Step(5, "number", "202", keep=False))
    plan = schedule(steps, EVERYTHING.__contains__)
    assert plan.phases == (
        Phase(0, frozenset({"softphone", "desk_phone"})),
        Phase(5, frozenset({"number:202"})),
    )
    assert plan.voicemail_at is None


def test_only_registered_phones_ring() -> None:
    plan = schedule((Step(0, "all_devices"),), _reachable("desk_phone").__contains__)
    assert plan.phases == (Phase(0, frozenset({"desk_phone"})),)


def test_a_first_step_that_rings_nothing_moves_the_rest_earlier() -> None:
    steps = (Step(0, "softphone"), Step(5, "mobile"), Step(30, "voicemail"))
    plan = schedule(steps, _reachable("mobile").__contains__)
    assert plan == Schedule((Phase(0, frozenset({"mobile"})),), 25)


def test_a_later_step_that_rings_nothing_leaves_what_rings() -> None:
    steps = (Step(0, "softphone"), Step(5, "mobile", keep=False), Step(30, "voicemail"))
    plan = schedule(steps, _reachable("softphone").__contains__)
    assert plan == Schedule((Phase(0, frozenset({"softphone"})),), 30)


def test_nothing_can_ring_voicemail_at_once_or_nothing() -> None:
    steps = (Step(0, "mobile"), Step(20, "voicemail"))
    assert schedule(steps, _reachable().__contains__) == Schedule((), 0)
    assert schedule((Step(0, "mobile"),), _reachable().__contains__) == Schedule((), None)


def test_a_queue_step_takes_the_call_at_its_time() -> None:
    steps = (Step(0, "softphone"), Step(10, "queue", "1500"))
    plan = schedule(steps, EVERYTHING.__contains__)
    assert plan == Schedule((Phase(0, frozenset({"softphone"})),), None, "1500", 10)
    moved = schedule(
        (Step(0, "mobile"), Step(5, "desk_phone"), Step(12, "queue", "1500")),
        _reachable("desk_phone").__contains__,
    )
    assert (moved.queue, moved.queue_at) == ("1500", 7)  # everything moved 5 s earlier
    nothing = schedule(steps, _reachable().__contains__)
    assert (nothing.phases, nothing.queue, nothing.queue_at) == ((), "1500", 0)


def test_the_app_is_the_softphone_and_other_phones_are_desk_phones() -> None:
    assert device_kind("AcmePhone/1.4 (Windows)") == "softphone"
    assert device_kind("pjsua-test-agent/AcmePhone-201") == "softphone"
    assert device_kind("Yealink SIP-T54W 96.86.0.100") == "desk_phone"
    assert device_kind("Zoiper rv2.10") == "desk_phone"
    assert device_kind(None) == "desk_phone"


def test_the_effective_list_in_the_order_it_is_tried() -> None:
    mine = Rule(Conditions(statuses=frozenset({"lunch"})), (Step(0, "mobile"),), "lunch")
    org = Rule(Conditions(statuses=frozenset({"lunch"})), (Step(0, "voicemail"),), "org")
    required = Rule(Conditions(registered=False), (Step(0, "number", "200"),), "reception")
    listed = effective_rules(
        merged(RuleSet((required,), (mine,), (org,))),
        forwarding=None,
        call_flows={"meeting": CallFlow("voicemail"), "lunch": CallFlow()},
        voicemail=True,
        delay_s=20.0,
    )
    summary = [(e["scope"], e["name"], e["replaced"], e["built_in"]) for e in listed]
    assert summary == [
        ("required", "reception", False, False),
        ("own", "Call flow of meeting", False, True),
        ("own", "lunch", False, False),
        ("overridable", "org", True, False),
        ("fallback", "Do not disturb", False, True),
        ("fallback", "No phone registered", False, True),
        ("fallback", "Ring all devices", False, True),
    ]
    assert listed[-1]["steps"] == [
        {"after": 0, "destination": "all_devices", "number": None, "keep_ringing": True},
        {"after": 20.0, "destination": "voicemail", "number": None, "keep_ringing": True},
    ]
