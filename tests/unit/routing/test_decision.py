"""The routing decision table (docs/routing.md): every row, forwarding chains with their loop
guard, and the call flow texts of the API."""

from __future__ import annotations

import dataclasses

import pytest

from pbx_core.routing import (
    CalleeState,
    CallFlow,
    Destination,
    decide,
    follow_forwarding,
    format_call_flow,
    parse_call_flow,
    valid_number,
)
from pbx_core.routing.decision import route_call
from pbx_core.routing.rules import Step

RING_201 = (Destination("ring", "201"), Destination("voicemail", "201", 20.0))
VOICEMAIL_201 = (Destination("voicemail", "201"),)


@pytest.mark.parametrize(
    ("state", "vip", "bypass", "expected"),
    [
        # P5 defaults: every phone rings, voicemail after 20 s
        (CalleeState("201"), False, False, RING_201),
        (CalleeState("201", registered=False), False, False, VOICEMAIL_201),
        (CalleeState("201", line_busy=True), False, False, RING_201),  # call waiting
        (CalleeState("201", line_busy=True, call_waiting=False), False, False, VOICEMAIL_201),
        (CalleeState("201", status="dnd"), False, False, VOICEMAIL_201),
        (CalleeState("201", status="dnd"), True, False, RING_201),  # a VIP rings through
        (CalleeState("201", status="dnd", registered=False), True, False, VOICEMAIL_201),
        (
            CalleeState("201", voicemail=False, registered=False),
            False,
            False,
            (Destination("refuse", "201"),),
        ),
        (CalleeState("201", voicemail=False), False, False, (Destination("ring", "201"),)),
        # C4 forwarding, and *60* bypassing it and Do not disturb
        (CalleeState("201", forwarding="202"), False, False, (Destination("forward", "202"),)),
        (
            CalleeState("201", forwarding="202", status="dnd"),
            True,
            False,
            (Destination("forward", "202"),),
        ),
        (CalleeState("201", forwarding="202"), False, True, RING_201),
        (CalleeState("201", status="dnd"), False, True, RING_201),
        (CalleeState("201", forwarding="202", registered=False), False, True, VOICEMAIL_201),
        # S9: the call flow of the status
        (
            CalleeState("201", status="lunch", call_flow=CallFlow("forward", "200")),
            False,
            False,
            (Destination("forward", "200"),),
        ),
        (
            CalleeState("201", status="meeting", call_flow=CallFlow("voicemail")),
            False,
            False,
            (VOICEMAIL_201),
        ),
        (
            CalleeState("201", status="meeting", call_flow=CallFlow("voicemail")),
            True,
            False,
            (RING_201),
        ),
    ],
)
def test_the_decision_table(
    state: CalleeState, vip: bool, bypass: bool, expected: tuple[Destination, ...]
) -> None:
    assert decide(state, caller_vip=vip, bypass=bypass) == expected


def test_the_call_flow_applies_after_the_organisations_ring_delay() -> None:
    lunch = CalleeState("201", status="lunch", call_flow=CallFlow("forward", "200"))
    plan = route_call(lunch, flow_delay_s=10.0)
    assert plan.timed and plan.row == "call_flow" and plan.forward_to is None
    assert plan.steps == (
        Step(0, "all_devices"),
        Step(10.0, "number", "200", False),
        Step(30.0, "voicemail"),  # nobody answers at 200 either: 201's voicemail
    )
    no_voicemail = dataclasses.replace(lunch, voicemail=False)
    assert route_call(no_voicemail, flow_delay_s=10.0).steps[-1] == Step(
        10.0, "number", "200", False
    )
    meeting = CalleeState("201", status="meeting", call_flow=CallFlow("voicemail"))
    assert route_call(meeting, flow_delay_s=8.0).steps == (
        Step(0, "all_devices"),
        Step(8.0, "voicemail"),
    )
    assert route_call(meeting, flow_delay_s=8.0, caller_vip=True).row == "ring"
    refusing = dataclasses.replace(meeting, voicemail=False)
    assert route_call(refusing, flow_delay_s=8.0).steps == (Step(0, "refuse"),)
    at_once = route_call(lunch)  # no delay: forwarded before any phone rings
    assert not at_once.timed and at_once.forward_to == "200"


def test_the_voicemail_delay_is_a_parameter() -> None:
    assert decide(CalleeState("201"), delay_s=5.0)[1] == Destination("voicemail", "201", 5.0)


def test_a_chain_follows_forwarding_and_stops_at_a_loop() -> None:
    forwards = {"201": "202", "202": "203"}
    assert follow_forwarding("201", forwards.get) == ("201", "202", "203")
    looping = {"201": "202", "202": "201"}  # A→B→A ends at B, the last not forwarding further
    assert follow_forwarding("201", looping.get) == ("201", "202")
    assert follow_forwarding("204", looping.get) == ("204",)


def test_a_chain_stops_after_max_hops() -> None:
    long = {str(n): str(n + 1) for n in range(200, 220)}
    assert follow_forwarding("200", long.get, max_hops=3) == ("200", "201", "202", "203")


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("default", CallFlow()),
        ("voicemail", CallFlow("voicemail")),
        ("forward to 200", CallFlow("forward", "200")),
        ("forward to +31201234567", CallFlow("forward", "+31201234567")),
    ],
)
def test_call_flow_texts_round_trip(text: str, flow: CallFlow) -> None:
    assert parse_call_flow(text) == flow
    assert format_call_flow(flow) == text


@pytest.mark.parametrize("text", ["", "ring", "forward to", "forward to abc", "forward to 2"])
def test_bad_call_flows_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_call_flow(text)


def test_numbers_forwarding_may_go_to() -> None:
    assert valid_number("202") and valid_number("+31612345678") and valid_number("0612345678")
    assert not valid_number("2") and not valid_number("20a") and not valid_number("*1*")


def test_the_presence_view_carries_forwarding() -> None:
    from pbx_core.presence import Presence
    from pbx_core.presence_view import PresenceUpdated, compute_view

    view = compute_view("201", Presence("available"), registered=True, calls=(), forwarding="202")
    assert view.forwarding == "202" and PresenceUpdated.of(view).forwarding == "202"
    plain = compute_view("201", Presence("available"), registered=True, calls=())
    assert plain.forwarding is None


@pytest.mark.parametrize(
    ("dialled", "number"),
    [("*21*202*", "202"), ("*21*+31612345678*", "+31612345678"), ("#21#*", None)],
)
def test_the_forwarding_codes_are_parsed(dialled: str, number: str | None) -> None:
    from pbx_core.signaling.features import Forwarding, parse_target, service_of

    assert parse_target(dialled) == Forwarding(number)
    assert service_of(parse_target(dialled), False, dialled) == ("forwarding", number, dialled)


def test_the_clear_code_is_parsed_as_a_sip_uri_sends_it() -> None:
    from pbx_core.signaling.features import Dial, Forwarding, parse_target

    assert parse_target("%2321%23*") == Forwarding(None)
    assert parse_target("*21*") is None  # no number
    assert parse_target("*60*201*") == Dial("201", bypass=True)
