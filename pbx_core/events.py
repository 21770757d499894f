"""Events published on the in-process bus.

Past-tense frozen dataclasses. The server fans them out on the WebSocket; the ``kind``
class variable is the event's name on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    "CallParked",
    "CallPickedUp",
    "CallResumed",
    "CallRinging",
    "CallTransferred",
    "CallUnparked",
    "ConferenceJoined",
    "ConferenceLeft",
    "Event",
    "LineStateChanged",
    "PresenceChanged",
    "UserRolesChanged",
    "VoicemailAnswered",
    "VoicemailCountsChanged",
    "VoicemailMessageAdded",
    "VoicemailMessageChanged",
]


NOT_ON_THE_WIRE = {"wire": False}
"""Field metadata: a field the PBX's parts use that the event stream does not send."""


@dataclass(frozen=True, slots=True)
class Event:
    """Base of all bus events."""

    kind: ClassVar[str] = "event"
    on_the_wire: ClassVar[bool] = True
    """False for an event that only feeds the PBX's own parts (the event stream skips it)."""


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
class CallTransferred(Event):
    """``by`` handed the call on to ``to`` (who now rings; on recall ``to`` is ``by`` again)."""

    kind: ClassVar[str] = "call.transferred"
    call_id: CallId
    by: str | None
    to: str


@dataclass(frozen=True, slots=True)
class CallParked(Event):
    kind: ClassVar[str] = "call.parked"
    call_id: CallId
    slot: str
    parked_by: str | None
    caller: str
    caller_name: str | None = None


@dataclass(frozen=True, slots=True)
class CallUnparked(Event):
    """The call left its park slot: picked up by ``by``, or recalled (``by`` None)."""

    kind: ClassVar[str] = "call.unparked"
    call_id: CallId
    slot: str
    by: str | None


@dataclass(frozen=True, slots=True)
class CallPickedUp(Event):
    """``by`` answered a call that rang at ``from_extension``."""

    kind: ClassVar[str] = "call.picked_up"
    call_id: CallId
    by: str
    from_extension: str


@dataclass(frozen=True, slots=True)
class ConferenceJoined(Event):
    kind: ClassVar[str] = "conference.joined"
    room: str
    extension: str
    call_id: CallId


@dataclass(frozen=True, slots=True)
class ConferenceLeft(Event):
    kind: ClassVar[str] = "conference.left"
    room: str
    extension: str
    call_id: CallId


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
class UserRolesChanged(Event):
    """The administrator changed ``extension``'s roles or user groups: whose calls users may pick
    up can have changed for anyone, so every client re-reads ``GET /api/v1/me``."""

    kind: ClassVar[str] = "user.roles_changed"
    extension: Extension


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


@dataclass(frozen=True, slots=True)
class VoicemailAnswered(Event):
    """The PBX answered a call for voicemail: ``mode`` "deposit" (leave a message in
    ``mailbox``; ``reason`` why: "no-answer", "busy", "not-registered" or "direct") or "listen"
    (the caller hears their own messages). The voicemail service takes the leg from here."""

    kind: ClassVar[str] = "voicemail.answered"
    call_id: CallId
    leg_id: LegId
    mailbox: str
    caller: str
    caller_name: str | None
    mode: str
    reason: str


@dataclass(frozen=True, slots=True)
class VoicemailMessageAdded(Event):
    """A new message in ``mailbox`` (the API's ``voicemail.new``)."""

    kind: ClassVar[str] = "voicemail.new"
    id: int
    mailbox: str
    caller: str
    caller_name: str | None
    received_at: datetime
    duration_s: float
    inbox: str
    readers: tuple[str, ...] = field(default=(), metadata=NOT_ON_THE_WIRE)
    """Who may read ``mailbox``: its user, or a group inbox's members (none: the mailbox)."""

    @property
    def audience(self) -> frozenset[str]:
        return frozenset(self.readers or (self.mailbox,))


@dataclass(frozen=True, slots=True)
class VoicemailMessageChanged(Event):
    """A message was heard, marked unheard or deleted (the API's ``voicemail.changed``)."""

    kind: ClassVar[str] = "voicemail.changed"
    id: int
    mailbox: str
    heard: bool
    deleted: bool
    readers: tuple[str, ...] = field(default=(), metadata=NOT_ON_THE_WIRE)
    """As :attr:`VoicemailMessageAdded.readers`."""

    @property
    def audience(self) -> frozenset[str]:
        return frozenset(self.readers or (self.mailbox,))


@dataclass(frozen=True, slots=True)
class VoicemailCountsChanged(Event):
    """``extension`` now has ``new`` unheard and ``old`` heard messages: what a phone's
    message-waiting lamp shows (RFC 3842 ``message-summary``: ``Voice-Message: new/old``)."""

    kind: ClassVar[str] = "voicemail.counts"
    extension: Extension
    new: int
    old: int

    @property
    def audience(self) -> frozenset[str]:
        return frozenset((self.extension,))
