"""The server's WebSocket events (docs/api.md, "Events"), parsed once at the edge.

One frozen dataclass per wire ``type``, named and shaped like the server's own bus events (the
``kind`` class variable is the wire name); this module does not import the server's package.
:func:`parse_event` turns one decoded message into its event: None for a type the desktop does
not know, ``ValueError`` with exact text for a known type with a bad ``data``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from app.event_fields import EventData, parse_until
from app.planned_status import PlannedStatus
from app.presence_status import PresenceStatus

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
    "ForwardingChanged",
    "LineStateChanged",
    "PlansChanged",
    "PresenceChanged",
    "PresenceUpdated",
    "QueueAgentChanged",
    "QueueChanged",
    "QueueUpdated",
    "RecordingStarted",
    "RecordingStopped",
    "Resync",
    "ServerEvent",
    "UserRolesChanged",
    "VoicemailChanged",
    "parse_event",
    "parse_until",
]


@dataclass(frozen=True, slots=True)
class CallRinging:
    kind: ClassVar[str] = "call.ringing"
    call_id: str
    leg_id: str
    caller: str
    callee: str
    caller_name: str | None = None


@dataclass(frozen=True, slots=True)
class CallAnswered:
    kind: ClassVar[str] = "call.answered"
    call_id: str
    caller: str
    callee: str


@dataclass(frozen=True, slots=True)
class CallHeld:
    kind: ClassVar[str] = "call.held"
    call_id: str
    by: str


@dataclass(frozen=True, slots=True)
class CallResumed:
    kind: ClassVar[str] = "call.resumed"
    call_id: str
    by: str


@dataclass(frozen=True, slots=True)
class CallEnded:
    kind: ClassVar[str] = "call.ended"
    call_id: str
    caller: str
    callee: str
    answered: bool
    reason: str
    ended_by: str | None = None


@dataclass(frozen=True, slots=True)
class CallTransferred:
    kind: ClassVar[str] = "call.transferred"
    call_id: str
    by: str
    to: str


@dataclass(frozen=True, slots=True)
class ForwardingChanged:
    """``extension`` switched forwarding on (to ``number``) or off (docs/routing.md)."""

    kind: ClassVar[str] = "forwarding.changed"
    extension: str
    enabled: bool
    number: str | None


@dataclass(frozen=True, slots=True)
class UserRolesChanged:
    """The administrator changed ``extension``'s roles or groups: re-read ``GET /api/v1/me``."""

    kind: ClassVar[str] = "user.roles_changed"
    extension: str


@dataclass(frozen=True, slots=True)
class CallParked:
    """A call was parked in ``slot`` (7001-7019) by ``parked_by``."""

    kind: ClassVar[str] = "call.parked"
    call_id: str
    slot: str
    parked_by: str
    caller: str


@dataclass(frozen=True, slots=True)
class CallUnparked:
    """A parked call left its slot: picked up (``by``), recalled or hung up."""

    kind: ClassVar[str] = "call.unparked"
    call_id: str
    slot: str
    by: str | None = None


@dataclass(frozen=True, slots=True)
class CallPickedUp:
    kind: ClassVar[str] = "call.picked_up"
    call_id: str
    by: str
    from_extension: str


@dataclass(frozen=True, slots=True)
class LineStateChanged:
    """A user's line: "idle", "ringing" or "busy"."""

    kind: ClassVar[str] = "line.changed"
    extension: str
    state: str


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    kind: ClassVar[str] = "presence.changed"
    extension: str
    status: PresenceStatus
    until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class PresenceUpdated:
    """A colleague's whole presence view (docs/presence.md): phone registered, line, status
    with its end, role (work/private), shared note, the activity ("in_call" by itself), where
    calls are forwarded and the planned statuses of the next 24 hours."""

    kind: ClassVar[str] = "presence.updated"
    extension: str
    registered: bool
    line: str
    status: PresenceStatus
    until: dt.datetime | None
    role: str
    note: str | None
    activity: str
    forwarding: str | None = None
    """Where the colleague's calls are forwarded now (docs/routing.md); None: not forwarded."""
    planned: tuple[PlannedStatus, ...] = ()
    """Upcoming planned statuses (the next 24 hours, at most 3), earliest first."""


@dataclass(frozen=True, slots=True)
class BindingAdded:
    kind: ClassVar[str] = "binding.added"
    extension: str
    contact: str


@dataclass(frozen=True, slots=True)
class BindingRemoved:
    kind: ClassVar[str] = "binding.removed"
    extension: str
    contact: str
    expired: bool


@dataclass(frozen=True, slots=True)
class DirectoryChanged:
    """The server's directory has a new ``version`` (of the run ``epoch``): fetch the changes."""

    kind: ClassVar[str] = "directory.changed"
    epoch: str
    version: int


@dataclass(frozen=True, slots=True)
class ChatEventReceived:
    """One ``chat.*`` event (:data:`CHAT_EVENT_TYPES`): its ``type`` and its ``data`` as sent;
    the chat store reads the fields it needs (docs/chat.md)."""

    kind: ClassVar[str] = "chat"
    type: str
    data: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class PlansChanged:
    """The user's planned statuses changed (docs/calendar.md): reload the calendar."""

    kind: ClassVar[str] = "plans.changed"
    extension: str
    plan_id: int
    change: str


@dataclass(frozen=True, slots=True)
class VoicemailChanged:
    """A voicemail message was marked heard or unheard, or deleted (docs/voicemail.md)."""

    kind: ClassVar[str] = "voicemail.changed"
    id: int
    mailbox: str
    heard: bool
    deleted: bool


@dataclass(frozen=True, slots=True)
class RecordingStarted:
    """The user started recording PBX call ``call_id`` (docs/recording.md)."""

    kind: ClassVar[str] = "recording.started"
    call_id: str
    extension: str
    started_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class RecordingStopped:
    """The user's recording of ``call_id`` ended; ``id`` is the kept recording (or None)."""

    kind: ClassVar[str] = "recording.stopped"
    call_id: str
    extension: str
    id: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class QueueChanged:
    """An administrator created, changed or (``removed``) removed queue ``number``
    (docs/queues.md): read the user's queues again."""

    kind: ClassVar[str] = "queue.changed"
    number: str
    removed: bool


@dataclass(frozen=True, slots=True)
class QueueAgentChanged:
    """``extension`` is now ``status`` ("logged_out", "logged_in", "paused") in ``queue``;
    ``reason``: "app", "supervisor", "code", "missed", "removed", "demo"."""

    kind: ClassVar[str] = "queue.agent_changed"
    queue: str
    extension: str
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class QueueUpdated:
    """Who waits in queue ``number`` or which of its agents are free changed: read it again."""

    kind: ClassVar[str] = "queue.updated"
    number: str


@dataclass(frozen=True, slots=True)
class Resync:
    """The server could not replay what the stream missed (``reason``: "too old", "server
    restarted"; ``epoch``: its run): every store reloads, as after a sign-in."""

    kind: ClassVar[str] = "resync"
    reason: str
    epoch: str | None = None


CHAT_EVENT_TYPES = ("chat.message", "chat.receipt", "chat.conversation", "chat.typing")

ServerEvent = (
    CallRinging
    | CallAnswered
    | CallHeld
    | CallResumed
    | CallEnded
    | CallTransferred
    | CallParked
    | CallUnparked
    | CallPickedUp
    | LineStateChanged
    | PresenceChanged
    | PresenceUpdated
    | BindingAdded
    | BindingRemoved
    | DirectoryChanged
    | ChatEventReceived
    | ForwardingChanged
    | UserRolesChanged
    | PlansChanged
    | VoicemailChanged
    | RecordingStarted
    | RecordingStopped
    | QueueChanged
    | QueueAgentChanged
    | QueueUpdated
    | Resync
)


_PARSERS: dict[str, Callable[[EventData], ServerEvent]] = {
    CallRinging.kind: lambda d: CallRinging(
        d.text("call_id"),
        d.text("leg_id"),
        d.text("caller"),
        d.text("callee"),
        d.text_or_none("caller_name"),
    ),
    CallAnswered.kind: lambda d: CallAnswered(
        d.text("call_id"), d.text("caller"), d.text("callee")
    ),
    CallHeld.kind: lambda d: CallHeld(d.text("call_id"), d.text("by")),
    CallResumed.kind: lambda d: CallResumed(d.text("call_id"), d.text("by")),
    CallEnded.kind: lambda d: CallEnded(
        d.text("call_id"),
        d.text("caller"),
        d.text("callee"),
        d.flag("answered"),
        d.text("reason"),
        d.text_or_none("ended_by"),
    ),
    CallTransferred.kind: lambda d: CallTransferred(d.text("call_id"), d.text("by"), d.text("to")),
    CallParked.kind: lambda d: CallParked(
        d.text("call_id"), d.slot("slot"), d.text("parked_by"), d.text("caller")
    ),
    CallUnparked.kind: lambda d: CallUnparked(
        d.text("call_id"), d.slot("slot"), d.text_or_none("by")
    ),
    CallPickedUp.kind: lambda d: CallPickedUp(
        d.text("call_id"), d.text("by"), d.text("from_extension")
    ),
    LineStateChanged.kind: lambda d: LineStateChanged(d.text("extension"), d.text("state")),
    PresenceChanged.kind: lambda d: PresenceChanged(
        d.text("extension"), d.status("status"), d.until("until")
    ),
    PresenceUpdated.kind: lambda d: PresenceUpdated(
        d.text("extension"),
        d.flag("registered"),
        d.text("line"),
        d.status("status"),
        d.until("until"),
        d.text("role"),
        d.text_or_none("note"),
        d.text("activity"),
        d.text_or_none("forwarding"),
        d.planned("planned"),
    ),
    BindingAdded.kind: lambda d: BindingAdded(d.text("extension"), d.text("contact")),
    BindingRemoved.kind: lambda d: BindingRemoved(
        d.text("extension"), d.text("contact"), d.flag("expired")
    ),
    DirectoryChanged.kind: lambda d: DirectoryChanged(d.text("epoch"), d.number("version")),
    VoicemailChanged.kind: lambda d: VoicemailChanged(
        d.number("id"), d.text("mailbox"), d.flag("heard"), d.flag("deleted")
    ),
    **{kind: (lambda d: ChatEventReceived(d.kind, dict(d.data))) for kind in CHAT_EVENT_TYPES},
    ForwardingChanged.kind: lambda d: ForwardingChanged(
        d.text("extension"), d.flag("enabled"), d.text_or_none("number")
    ),
    UserRolesChanged.kind: lambda d: UserRolesChanged(d.text("extension")),
    PlansChanged.kind: lambda d: PlansChanged(
        d.text("extension"), d.number("plan_id"), d.text("change")
    ),
    RecordingStarted.kind: lambda d: RecordingStarted(
        d.text("call_id"), d.text("extension"), d.until("started_at")
    ),
    RecordingStopped.kind: lambda d: RecordingStopped(
        d.text("call_id"),
        d.text("extension"),
        d.number("id") if d.data.get("id") is not None else None,
        d.text("reason"),
    ),
    QueueChanged.kind: lambda d: QueueChanged(d.slot("number"), d.flag("removed")),
    QueueAgentChanged.kind: lambda d: QueueAgentChanged(
        d.slot("queue"), d.slot("extension"), d.text("status"), d.text("reason")
    ),
    QueueUpdated.kind: lambda d: QueueUpdated(d.slot("number")),
    Resync.kind: lambda d: Resync(d.text("reason"), d.text_or_none("epoch")),
}


def parse_event(message: Mapping[str, object]) -> ServerEvent | None:
    """The typed event of one WebSocket message; None when its ``type`` is not one of ours."""
    kind = message.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        return None
    data = message.get("data")
    if not isinstance(data, Mapping):
        raise ValueError(f"{kind} event: data must be an object")
    return parser(EventData(str(kind), data))
