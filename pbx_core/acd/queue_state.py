"""The state a queue machine keeps (:mod:`pbx_core.acd.distribution`): each caller's phase and
offer, each agent's status and timers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pbx_core.acd.model import AgentStatus

__all__ = ["Agent", "Caller", "Phase"]


class Phase(Enum):
    WAITING = "waiting"
    RINGING = "ringing"
    CONNECTED = "connected"  # an agent took it; the machine keeps it until CallDone


@dataclass(slots=True)
class Caller:
    call_id: str
    caller: str
    caller_name: str | None
    since: float
    phase: Phase = Phase.WAITING
    ringing: tuple[str, ...] = ()
    ring_until: float = 0.0
    attempts: int = 0
    next_announce: float | None = None
    agent: str | None = None


@dataclass(slots=True)
class Agent:
    extension: str
    status: AgentStatus = "logged_out"
    busy: bool = False
    present: bool = True
    reachable: bool = True
    idle_since: float = 0.0
    wrap_until: float = 0.0
    rest_until: float = 0.0
    missed_in_row: int = 0
    offered: str | None = None  # the call it rings for
    serving: str | None = None  # the call it took
