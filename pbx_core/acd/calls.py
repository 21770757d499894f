"""The queue call log (S6, P9): one entry per call that came to a queue, how it ended and its
follow-up by an agent. Pure: the rows are read and written by :mod:`pbx_core.acd.repository`.

A call is *answered* (an agent took it), *missed* (the caller hung up while waiting, or the
queue sent it away with nowhere to go: busy, goodbye) or *forwarded* (overflow to a number).
A supervisor assigns a missed call to an agent, who marks it ``in_progress`` or ``handled``
with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias, get_args

from pbx_core.acd.model import OverflowReason

__all__ = [
    "CALL_KINDS",
    "HANDLINGS",
    "OUTCOMES",
    "CallKind",
    "Handling",
    "NewQueueCall",
    "Outcome",
    "QueueCall",
    "kind_of",
]

Outcome: TypeAlias = Literal["answered", "abandoned", "overflow"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
Handling: TypeAlias = Literal["unhandled", "in_progress", "handled"]
HANDLINGS: tuple[Handling, ...] = get_args(Handling)
CallKind: TypeAlias = Literal["missed", "answered", "forwarded"]
CALL_KINDS: tuple[CallKind, ...] = get_args(CallKind)
MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class NewQueueCall:
    """What the queue engine logs when a queue call leaves the queue (answered, abandoned or
    sent away). Datetimes are timezone-aware; ``waited_s`` is the time the caller waited."""

    call_id: str
    queue: str
    caller: str
    caller_name: str | None
    arrived_at: datetime
    outcome: Outcome
    waited_s: float
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    agent: str | None = None
    overflow_reason: OverflowReason | None = None
    forwarded_to: str | None = None


@dataclass(frozen=True, slots=True)
class QueueCall:
    """One logged queue call with its follow-up."""

    id: int
    call_id: str
    queue: str
    caller: str
    caller_name: str | None
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    agent: str | None
    outcome: Outcome
    overflow_reason: OverflowReason | None
    forwarded_to: str | None
    waited_s: float
    handling: Handling = "unhandled"
    assigned_to: str | None = None
    note: str = ""

    @property
    def kind(self) -> CallKind:
        return kind_of(self.outcome, self.forwarded_to)


def kind_of(outcome: Outcome, forwarded_to: str | None) -> CallKind:
    """The call log's filter a call falls under."""
    if outcome == "answered":
        return "answered"
    if outcome == "overflow" and forwarded_to:
        return "forwarded"
    return "missed"
