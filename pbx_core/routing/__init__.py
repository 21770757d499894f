"""Where a call goes: forwarding (C4), routing rules and defaults (P5) and the call flow of each
status (S9), docs/routing.md. :mod:`pbx_core.routing.decision` is the pure decision table and
:mod:`pbx_core.routing.rules` the rules it tries; the service keeps each user's settings, the
B2BUA executes the decision and the step runner the timed steps of a rule."""

from __future__ import annotations

from pbx_core.routing.decision import (
    CalleeState,
    CallFlow,
    Destination,
    Plan,
    decide,
    follow_forwarding,
    format_call_flow,
    parse_call_flow,
    route_call,
    valid_number,
)
from pbx_core.routing.events import ForwardingChanged, ForwardingCodeAnswered
from pbx_core.routing.rules import Conditions, Rule, Step, TimeWindow

__all__ = [
    "CallFlow",
    "CalleeState",
    "Conditions",
    "Destination",
    "ForwardingChanged",
    "ForwardingCodeAnswered",
    "Plan",
    "Rule",
    "Step",
    "TimeWindow",
    "decide",
    "follow_forwarding",
    "format_call_flow",
    "parse_call_flow",
    "route_call",
    "valid_number",
]
