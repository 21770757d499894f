"""Where a call to a user goes: a pure decision table (C4 forwarding, P5 routing defaults, S9
call flow per status).

Given what the PBX knows about the callee (registered phones, line busy, status, forwarding,
the call flow of the status, call waiting) and about the caller (a VIP of the callee, ``*60*``
bypass), :func:`decide` returns the ordered destinations with their delays. The signaling code
only executes the first step that is not "ring the callee"; the call machine already moves an
unanswered, busy or unreachable call to voicemail (docs/voicemail.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "CALL_FLOW_DEFAULT",
    "CALL_FLOW_VOICEMAIL",
    "MAX_HOPS",
    "VOICEMAIL_DELAY_S",
    "CallFlow",
    "CalleeState",
    "Destination",
    "Kind",
    "decide",
    "follow_forwarding",
    "format_call_flow",
    "parse_call_flow",
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


def decide(
    callee: CalleeState,
    *,
    caller_vip: bool = False,
    bypass: bool = False,
    delay_s: float = VOICEMAIL_DELAY_S,
) -> tuple[Destination, ...]:
    """The ordered destinations of a call to ``callee`` (the first applies at once).

    Rows, first match wins: ``*60*`` bypass rings; forwarding forwards; Do not disturb sends
    to voicemail unless the caller is a VIP; a status's call flow forwards or sends to
    voicemail; no registered phone and busy without call waiting go to voicemail; otherwise
    every phone rings and voicemail takes the call after ``delay_s``.
    """
    ext = callee.extension
    fallback: tuple[Destination, ...] = (
        (Destination("voicemail", ext),) if callee.voicemail else (Destination("refuse", ext),)
    )
    ring: tuple[Destination, ...] = (Destination("ring", ext),)
    if callee.voicemail:
        ring += (Destination("voicemail", ext, delay_s),)
    if bypass:
        return ring if callee.registered else fallback
    if callee.forwarding:
        return (Destination("forward", callee.forwarding),)
    if callee.status == "dnd":
        if not caller_vip:
            return fallback
    elif callee.call_flow.kind == "forward" and callee.call_flow.number:
        return (Destination("forward", callee.call_flow.number),)
    elif callee.call_flow.kind == "voicemail" and not caller_vip:
        return fallback
    if not callee.registered:
        return fallback
    if callee.line_busy and not callee.call_waiting:
        return fallback
    return ring


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
