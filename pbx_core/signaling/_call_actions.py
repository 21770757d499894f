"""What the call machine asks its driver to do, and the context its requests carry.

Value types only. SIP: ``Reply`` (through a server transaction), ``SendRequest`` (a new client
transaction, whose events come back with ``context``), ``SendAck`` (the ACK for a 2xx, outside
any transaction), ``CancelInvite``. Media: ``OpenMedia``/``CloseMedia`` and the connections of
:mod:`pbx_core.media.connections`. Out of the PBX: ``Publish`` (a bus event), ``Record`` (a
call record for the store), ``LinesChanged`` (extensions whose line state may have moved).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from pbx_core.events import Event
from pbx_core.ids import CallId, LegId
from pbx_core.media.connections import (
    Connect,
    ConnectMusic,
    ConnectPrompt,
    ConnectTone,
    Disconnect,
    JoinRoom,
    LeaveRoom,
)
from pbx_core.signaling.message import SipRequest, SipResponse
from pbx_core.signaling.transport import Address
from pbx_core.signaling.useragent import ServerTransactionHandle
from pbx_core.store import CallRecord

__all__ = [
    "CallAction",
    "CancelInvite",
    "CloseMedia",
    "Dtmf",
    "FindRoute",
    "LegRequest",
    "LinesChanged",
    "OpenMedia",
    "Publish",
    "Record",
    "Reply",
    "SendAck",
    "SendRequest",
    "StartTimer",
    "StopTimer",
]


@dataclass(frozen=True, slots=True)
class LegRequest:
    """The context of a request we sent on a leg: which call, which leg, what for."""

    call_id: CallId
    leg_id: LegId
    purpose: str  # "invite", "reinvite", "bye" or "notify"


@dataclass(frozen=True, slots=True)
class Reply:
    """Answer a request through its server transaction."""

    handle: ServerTransactionHandle
    response: SipResponse


@dataclass(frozen=True, slots=True)
class SendRequest:
    """Send ``request`` to ``dest`` in a new client transaction tagged with ``context``."""

    request: SipRequest
    dest: Address
    context: LegRequest


@dataclass(frozen=True, slots=True)
class SendAck:
    """Send the ACK for a 2xx (§13.2.2.4), outside any transaction."""

    request: SipRequest
    dest: Address


@dataclass(frozen=True, slots=True)
class CancelInvite:
    """CANCEL our INVITE on ``leg_id`` (§9.1; it waits for a provisional if none came yet)."""

    leg_id: LegId


@dataclass(frozen=True, slots=True)
class OpenMedia:
    """Open an RTP leg; report it with ``CallMachine.media_opened`` (or ``media_failed``)."""

    leg_id: LegId


@dataclass(frozen=True, slots=True)
class CloseMedia:
    """Close the RTP leg and give its ports back."""

    leg_id: LegId


@dataclass(frozen=True, slots=True)
class Publish:
    """Put ``event`` on the bus."""

    event: Event


@dataclass(frozen=True, slots=True)
class Record:
    """Store the record of a call that ended (or never rang)."""

    record: CallRecord


@dataclass(frozen=True, slots=True)
class FindRoute:
    """Look up ``target`` (names, registered phones); report with ``CallMachine.routed``."""

    call_id: CallId
    target: str


@dataclass(frozen=True, slots=True)
class StartTimer:
    """Call ``CallMachine.timer_fired(call_id, name)`` after ``delay`` seconds (re-arming
    replaces a timer of the same name)."""

    call_id: CallId
    name: str
    delay: float


@dataclass(frozen=True, slots=True)
class StopTimer:
    call_id: CallId
    name: str


@dataclass(frozen=True, slots=True)
class Dtmf:
    """A digit the phone on ``leg_id`` sent in SIP INFO: hand it to the leg's ``on_dtmf``."""

    leg_id: LegId
    digit: str


@dataclass(frozen=True, slots=True)
class LinesChanged:
    """The line state of these extensions may have changed."""

    extensions: frozenset[str]


CallAction: TypeAlias = (
    Reply
    | SendRequest
    | SendAck
    | CancelInvite
    | OpenMedia
    | CloseMedia
    | Connect
    | ConnectMusic
    | ConnectPrompt
    | ConnectTone
    | Disconnect
    | JoinRoom
    | LeaveRoom
    | FindRoute
    | Dtmf
    | StartTimer
    | StopTimer
    | Publish
    | Record
    | LinesChanged
)
