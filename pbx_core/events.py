"""Events published on the in-process bus.

Past-tense frozen dataclasses. The server fans them out on the WebSocket; the ``kind``
class variable is the event's name on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from pbx_core.ids import CallId, Extension, LegId

if TYPE_CHECKING:
    from pbx_core.presence import PresenceStatus

__all__ = [
    "BindingAdded",
    "BindingRemoved",
    "CallAnswered",
    "CallEnded",
    "CallHeld",
    "CallResumed",
    "CallRinging",
    "Event",
    "LineStateChanged",
    "PresenceChanged",
]


@dataclass(frozen=True, slots=True)
class Event:
    """Base of all bus events."""

    kind: ClassVar[str] = "event"


@dataclass(frozen=True, slots=True)
class CallRinging(Event):
    """A call is ringing at ``callee`` (an extension, or a number outside the PBX)."""

    kind: ClassVar[str] = "call.ringing"
    call_id: CallId
    leg_id: LegId
    caller: str
    callee: str
    caller_name: str | None = None


@dataclass(frozen=True, slots=True)
class CallAnswered(Event):
    kind: ClassVar[str] = "call.answered"
    call_id: CallId
    caller: str
    callee: str


@dataclass(frozen=True, slots=True)
class CallHeld(Event):
    kind: ClassVar[str] = "call.held"
    call_id: CallId
    by: str


@dataclass(frozen=True, slots=True)
class CallResumed(Event):
    kind: ClassVar[str] = "call.resumed"
    call_id: CallId
    by: str


@dataclass(frozen=True, slots=True)
class CallEnded(Event):
    """The call is over; ``reason`` is one of ``pbx_core.store.CallReason`` ("hangup",
    "cancelled", "busy", "declined", "not-found"...), the same as the call's record."""

    kind: ClassVar[str] = "call.ended"
    call_id: CallId
    caller: str
    callee: str
    answered: bool
    reason: str
    ended_by: str | None = None


@dataclass(frozen=True, slots=True)
class LineStateChanged(Event):
    """A user's line: "idle", "ringing" or "busy" (in a call)."""

    kind: ClassVar[str] = "line.changed"
    extension: Extension
    state: str


@dataclass(frozen=True, slots=True)
class PresenceChanged(Event):
    kind: ClassVar[str] = "presence.changed"
    extension: Extension
    status: PresenceStatus
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class BindingAdded(Event):
    kind: ClassVar[str] = "binding.added"
    extension: Extension
    contact: str


@dataclass(frozen=True, slots=True)
class BindingRemoved(Event):
    kind: ClassVar[str] = "binding.removed"
    extension: Extension
    contact: str
    expired: bool
