"""What a queue machine is told and what it asks for, sans-IO (:mod:`pbx_core.acd.distribution`):
events parsed once by the driver, actions it carries out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from pbx_core.acd.model import AgentStatus, OverflowReason, QueueConfig

__all__ = [
    "AgentBusy",
    "AgentPresent",
    "AgentReachable",
    "AgentStatusSet",
    "Announce",
    "Answered",
    "Arrived",
    "CallDone",
    "Left",
    "LogCall",
    "OfferFailed",
    "Overflow",
    "QueueAction",
    "QueueEvent",
    "Reconfigured",
    "Ring",
    "SetAgentStatus",
    "Tick",
]


# -- events (what happened) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arrived:
    """A caller dialled the queue; ``closed``: outside its opening hours."""

    call_id: str
    caller: str
    caller_name: str | None = None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Answered:
    """``extension``'s phone answered the offer of ``call_id``."""

    call_id: str
    extension: str


@dataclass(frozen=True, slots=True)
class OfferFailed:
    """Every phone rung for ``call_id`` refused (busy, declined, unreachable)."""

    call_id: str


@dataclass(frozen=True, slots=True)
class Left:
    """The caller hung up (or was taken elsewhere) before an agent answered."""

    call_id: str


@dataclass(frozen=True, slots=True)
class CallDone:
    """The agent's queue call ``call_id`` ended (or the agent left it): wrap-up starts."""

    call_id: str


@dataclass(frozen=True, slots=True)
class AgentStatusSet:
    extension: str
    status: AgentStatus


@dataclass(frozen=True, slots=True)
class AgentBusy:
    """``extension`` is in a call (or ringing) outside this queue's offers, or no longer."""

    extension: str
    busy: bool


@dataclass(frozen=True, slots=True)
class AgentPresent:
    """``extension``'s presence is "available" (True) or anything else."""

    extension: str
    present: bool


@dataclass(frozen=True, slots=True)
class AgentReachable:
    """``extension`` has a registered phone (True) or none."""

    extension: str
    reachable: bool


@dataclass(frozen=True, slots=True)
class Reconfigured:
    config: QueueConfig


@dataclass(frozen=True, slots=True)
class Tick:
    """Time passed: ring times, wrap-ups, rests, announcements and waits are checked."""


QueueEvent: TypeAlias = (
    Arrived
    | Answered
    | OfferFailed
    | Left
    | CallDone
    | AgentStatusSet
    | AgentBusy
    | AgentPresent
    | AgentReachable
    | Reconfigured
    | Tick
)

# -- actions (what to do) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ring:
    """Ring exactly these agents' phones for ``call_id`` (an empty tuple: stop ringing)."""

    call_id: str
    extensions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Overflow:
    """``call_id`` leaves the queue for ``to`` (None: busy on arrival, else goodbye)."""

    call_id: str
    reason: OverflowReason
    to: str | None


@dataclass(frozen=True, slots=True)
class Announce:
    """Tell the caller their place in the line and/or the expected wait (whole minutes)."""

    call_id: str
    position: int | None
    wait_minutes: int | None


@dataclass(frozen=True, slots=True)
class SetAgentStatus:
    """The machine changed an agent's status (logged out after missed offers): store it."""

    extension: str
    status: AgentStatus
    reason: str


@dataclass(frozen=True, slots=True)
class LogCall:
    """A caller's time in the queue is over: one row of the queue's call log."""

    call_id: str
    caller: str
    caller_name: str | None
    outcome: str  # "answered", "abandoned", "overflow"
    waited_s: float
    agent: str | None = None
    overflow_reason: OverflowReason | None = None
    forwarded_to: str | None = None


QueueAction: TypeAlias = Ring | Overflow | Announce | SetAgentStatus | LogCall
