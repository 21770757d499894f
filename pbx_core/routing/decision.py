"""Where a call to a user goes: a pure decision table (C4 forwarding, P5 routing rules and
defaults, S9 call flow per status).

Given what the PBX knows about the callee (registered phones, line busy, status, forwarding,
the call flow of the status, call waiting) and about the caller (a VIP of the callee, ``*60*``
bypass), and the routing rules of the user and the organisation (:mod:`pbx_core.routing.rules`),
:func:`route_call` returns the :class:`Plan`: timed steps and the row or rule that chose them.
Today's defaults are its last rows (the fallback); :func:`decide` is the same table without
rules, as destinations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias

from pbx_core.routing.rules import Rule, Scope, ScopedRule, Step

__all__ = [
    "CALL_FLOW_DEFAULT",
    "CALL_FLOW_VOICEMAIL",
    "MAX_HOPS",
    "VOICEMAIL_DELAY_S",
    "CallFlow",
    "CalleeState",
    "Destination",
    "Kind",
    "Plan",
    "call_flow_steps",
    "decide",
    "follow_forwarding",
    "format_call_flow",
    "parse_call_flow",
    "route_call",
    "valid_number",
]

VOICEMAIL_DELAY_S = 20.0
MAX_HOPS = 5
CALL_FLOW_DEFAULT = "default"
CALL_FLOW_VOICEMAIL = "voicemail"
_FORWARD_PREFIX = "forward to "
_NUMBER = re.compile(r"^\+?[0-9]{2,20}$")

Kind: TypeAlias = Literal["ring", "voicemail", "forward", "refuse"]


def valid_number(number: str) -> bool:
    """A number forwarding may go to: an extension or an outside number (digits, a leading +)."""
    return _NUMBER.match(number) is not None


@dataclass(frozen=True, slots=True)
class CallFlow:
    """What a status does with calls: "default" (ring), "voicemail", or forward to ``number``."""

    kind: Literal["default", "voicemail", "forward"] = "default"
    number: str | None = None


def parse_call_flow(text: str) -> CallFlow:
    """``"default"``, ``"voicemail"`` or ``"forward to <number>"``; ValueError otherwise."""
    value = text.strip()
    if value == CALL_FLOW_DEFAULT:
        return CallFlow()
    if value == CALL_FLOW_VOICEMAIL:
        return CallFlow("voicemail")
    if value.startswith(_FORWARD_PREFIX):
        number = value[len(_FORWARD_PREFIX) :].strip()
        if valid_number(number):
            return CallFlow("forward", number)
        raise ValueError(f"not a number to forward to: {number!r}")
    raise ValueError(f'a call flow is "default", "voicemail" or "forward to <number>": {text!r}')


def format_call_flow(flow: CallFlow) -> str:
    """The inverse of :func:`parse_call_flow`."""
    if flow.kind == "forward" and flow.number:
        return f"{_FORWARD_PREFIX}{flow.number}"
    return flow.kind


@dataclass(frozen=True, slots=True)
class CalleeState:
    """What the PBX knows about the callee when a call arrives."""

    extension: str
    registered: bool = True  # at least one phone registered
    line_busy: bool = False  # in another call
    status: str = "available"
    forwarding: str | None = None  # unconditional forwarding (C4)
    call_flow: CallFlow = CallFlow()  # the call flow of the current status (S9)
    call_waiting: bool = True  # a second call rings a busy phone
    voicemail: bool = True  # the user has voicemail


@dataclass(frozen=True, slots=True)
class Destination:
    """One step: ``kind`` at ``target`` (an extension or number) after ``after_s`` seconds."""

    kind: Kind
    target: str
    after_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Plan:
    """Where a call goes, step by step: what :func:`route_call` decided and which row or rule
    decided it (``rule`` None: a built-in row; ``row`` names it)."""

    scope: Scope
    steps: tuple[Step, ...]
    rule: Rule | None = None
    row: str = "rule"

    @property
    def timed(self) -> bool:
        """The steps run one after another on the call (a rule, or a status's call flow after
        the ring delay), rather than by the call machine's built-in rows."""
        return self.rule is not None or (len(self.steps) > 1 and self.row == "call_flow")

    @property
    def forward_to(self) -> str | None:
        """The number when the plan only sends the call elsewhere (forwarding)."""
        if len(self.steps) == 1 and self.steps[0].target in ("number", "queue"):
            return self.steps[0].number
        return None

    def destinations(self, extension: str) -> tuple[Destination, ...]:
        """The plan as :class:`Destination` rows (ring, voicemail, forward, refuse)."""
        out: list[Destination] = []
        for step in self.steps:
            if step.target in ("number", "queue") and step.number:
                out.append(Destination("forward", step.number, step.after_s))
            elif step.target in ("voicemail", "refuse"):
                out.append(Destination(step.target, extension, step.after_s))
            else:
                out.append(Destination("ring", extension, step.after_s))
        return tuple(out)


def _usable(rule: Rule, callee: CalleeState, vip: bool) -> tuple[Step, ...]:
    """The steps of a matching rule that can run (none: the rule is passed over). Without
    voicemail its voicemail step goes; a VIP rings through Do not disturb, so a rule that
    sends a VIP straight to voicemail there is passed over."""
    steps = tuple(s for s in rule.steps if s.target != "voicemail" or callee.voicemail)
    if vip and callee.status == "dnd" and steps and steps[0].target == "voicemail":
        return ()
    return steps


def route_call(
    callee: CalleeState,
    rules: Sequence[ScopedRule] = (),
    *,
    caller_vip: bool = False,
    bypass: bool = False,
    delay_s: float = VOICEMAIL_DELAY_S,
    local: datetime | None = None,
    flow_delay_s: float = 0.0,
) -> Plan:
    """The plan of a call to ``callee``: first row that holds wins (docs/routing.md).

    ``*60*`` bypass rings; a required rule; forwarding; the status's call flow (forward, or
    voicemail unless the caller is a VIP); the user's own rules, then the overridable ones;
    then the fallback: Do not disturb (not a VIP), no registered phone, busy without call
    waiting go to voicemail; otherwise every phone rings and voicemail takes the call after
    ``delay_s``. ``local`` is the time in the organisation's time zone (time-of-day rules).
    ``flow_delay_s`` (the organisation's, S9): the user's phones ring that long before the
    status's call flow applies (0: at once).
    """
    fallback = (Step(0, "voicemail"),) if callee.voicemail else (Step(0, "refuse"),)
    ring: tuple[Step, ...] = (Step(0, "all_devices"),)
    if callee.voicemail:
        ring += (Step(delay_s, "voicemail"),)
    if bypass:
        return Plan("fallback", ring if callee.registered else fallback, row="bypass")

    def first(scopes: tuple[Scope, ...]) -> Plan | None:
        for scoped in rules:
            if scoped.replaced or scoped.scope not in scopes:
                continue
            when = scoped.rule.when
            if not when.matches(
                status=callee.status,
                registered=callee.registered,
                busy=callee.line_busy,
                vip=caller_vip,
                local=local,
            ):
                continue
            steps = _usable(scoped.rule, callee, caller_vip)
            if steps:
                return Plan(scoped.scope, steps, scoped.rule)
        return None

    found = first(("required",))
    if found is not None:
        return found
    if callee.forwarding:
        return Plan("own", (Step(0, "number", callee.forwarding, False),), row="forwarding")
    dnd = callee.status == "dnd"
    flow = callee.call_flow
    flow_steps = call_flow_steps(
        flow, voicemail=callee.voicemail, delay_s=delay_s, flow_delay_s=flow_delay_s
    )
    if not dnd and flow_steps and (flow.kind == "forward" or not caller_vip):
        return Plan("own", flow_steps, row="call_flow")
    found = first(("own", "overridable"))
    if found is not None:
        return found
    if dnd and not caller_vip:
        return Plan("fallback", fallback, row="dnd")
    if not callee.registered:
        return Plan("fallback", fallback, row="not_registered")
    if callee.line_busy and not callee.call_waiting:
        return Plan("fallback", fallback, row="busy")
    return Plan("fallback", ring, row="ring")


def call_flow_steps(
    flow: CallFlow, *, voicemail: bool, delay_s: float, flow_delay_s: float
) -> tuple[Step, ...]:
    """The steps of a status's call flow (none for "default"). With ``flow_delay_s`` the
    user's phones ring first; a forward then rings only the number, and voicemail takes the
    call ``delay_s`` later when nobody answered there either. Without voicemail a "voicemail"
    flow refuses the call."""
    if flow.kind == "forward" and flow.number:
        forward = Step(flow_delay_s, "number", flow.number, False)
        if flow_delay_s <= 0:
            return (forward,)
        last = (Step(flow_delay_s + delay_s, "voicemail"),) if voicemail else ()
        return (Step(0, "all_devices"), forward, *last)
    if flow.kind == "voicemail":
        if not voicemail:
            return (Step(0, "refuse"),)
        if flow_delay_s > 0:
            return (Step(0, "all_devices"), Step(flow_delay_s, "voicemail"))
        return (Step(0, "voicemail"),)
    return ()


def decide(
    callee: CalleeState,
    *,
    caller_vip: bool = False,
    bypass: bool = False,
    delay_s: float = VOICEMAIL_DELAY_S,
) -> tuple[Destination, ...]:
    """The ordered destinations of a call to ``callee`` with no rules (the first applies at
    once): the built-in rows of :func:`route_call`."""
    plan = route_call(callee, caller_vip=caller_vip, bypass=bypass, delay_s=delay_s)
    return plan.destinations(callee.extension)


def follow_forwarding(
    start: str,
    next_of: Callable[[str], str | None],
    max_hops: int = MAX_HOPS,
) -> tuple[str, ...]:
    """The chain of numbers a call to ``start`` goes through (``start`` first): each step is
    ``next_of(number)`` (None: it stops there). A loop (A→B→A) or more than ``max_hops`` ends
    the chain at the last number that does not forward further."""
    chain = [start]
    while len(chain) <= max_hops:
        following = next_of(chain[-1])
        if following is None or following in chain:
            break
        chain.append(following)
    return tuple(chain)
