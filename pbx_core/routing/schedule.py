"""A rule's steps as a schedule of what rings when, and which phone is which; pure.

Phones are told apart by the User-Agent of their registration: this product's app is the
"softphone" (its User-Agent names the app, ``AcmePhone``), every other registered phone of the
user is a "desk phone" (the desktop app's Move menu names them the same way, ``app/devices.py``).
A step rings a set of *keys*: ``softphone``, ``desk_phone``, ``mobile``, ``number:<n>``; each
step adds its keys to what rings (``keep``) or replaces them. Steps that would ring nothing
reachable are passed over, and when the first ones are, the rest move earlier so the first
phone that can ring rings at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from pbx_core.routing.rules import Step

__all__ = [
    "APP_USER_AGENT",
    "DeviceKind",
    "Phase",
    "Schedule",
    "device_kind",
    "keys_of",
    "schedule",
]

APP_USER_AGENT = "AcmePhone"
DeviceKind: TypeAlias = Literal["softphone", "desk_phone"]


def device_kind(user_agent: str | None) -> DeviceKind:
    """The app's own registration is the softphone; any other phone is a desk phone."""
    if user_agent and APP_USER_AGENT.lower() in user_agent.lower():
        return "softphone"
    return "desk_phone"


def keys_of(step: Step) -> frozenset[str]:
    """What a step rings, as keys (voicemail and refuse ring nothing)."""
    if step.target == "all_devices":
        return frozenset({"softphone", "desk_phone"})
    if step.target in ("softphone", "desk_phone", "mobile"):
        return frozenset({step.target})
    if step.target == "number" and step.number:
        return frozenset({f"number:{step.number}"})
    return frozenset()


@dataclass(frozen=True, slots=True)
class Phase:
    """From ``at_s`` seconds after the call arrived, ``ring`` rings (and nothing else)."""

    at_s: float
    ring: frozenset[str]


@dataclass(frozen=True, slots=True)
class Schedule:
    """The phases of a call in time order, and when voicemail takes it (None: never), or a
    queue (``queue``: its number) takes it at ``queue_at``."""

    phases: tuple[Phase, ...]
    voicemail_at: float | None = None
    queue: str | None = None
    queue_at: float | None = None

    def ringing_at(self, at_s: float) -> frozenset[str]:
        current: frozenset[str] = frozenset()
        for phase in self.phases:
            if phase.at_s <= at_s:
                current = phase.ring
        return current


def schedule(steps: tuple[Step, ...], reachable: Callable[[str], bool]) -> Schedule:
    """The schedule of ``steps`` given which keys can ring now (registered phones, a mobile
    number that is set). A phase that would ring nothing reachable is dropped (what rang goes
    on ringing); if the first phases are dropped, everything moves earlier by as much."""
    phases: list[Phase] = []
    voicemail_at: float | None = None
    queue: tuple[float, str] | None = None
    current: frozenset[str] = frozenset()
    for step in steps:
        if step.target == "voicemail":
            voicemail_at = step.after_s
            break
        if step.target == "queue" and step.number:
            queue = (step.after_s, step.number)
            break
        if step.target == "refuse":
            break
        wanted = (current | keys_of(step)) if step.keep else keys_of(step)
        live = frozenset(k for k in wanted if reachable(k))
        if not live or live == (phases[-1].ring if phases else None):
            continue
        current = wanted
        phases.append(Phase(step.after_s, live))
    shift = phases[0].at_s if phases else (voicemail_at or 0.0)
    moved = tuple(Phase(p.at_s - shift, p.ring) for p in phases)
    vm_at = None if voicemail_at is None else max(0.0, voicemail_at - shift)
    if queue is None:
        return Schedule(moved, vm_at)
    return Schedule(moved, vm_at, queue[1], max(0.0, queue[0] - shift) if phases else 0.0)
