"""Where a call goes: forwarding (C4), routing defaults (P5) and the call flow of each status
(S9), docs/routing.md. :mod:`pbx_core.routing.decision` is the pure decision table; the
service keeps each user's settings and the B2BUA executes the decision."""

from __future__ import annotations

from pbx_core.routing.decision import (
    CalleeState,
    CallFlow,
    Destination,
    decide,
    follow_forwarding,
    format_call_flow,
    parse_call_flow,
    valid_number,
)
from pbx_core.routing.events import ForwardingChanged, ForwardingCodeAnswered

__all__ = [
    "CallFlow",
    "CalleeState",
    "Destination",
    "ForwardingChanged",
    "ForwardingCodeAnswered",
    "decide",
    "follow_forwarding",
    "format_call_flow",
    "parse_call_flow",
    "valid_number",
]
