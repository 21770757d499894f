"""What the user-agent layer asks its driver to do, and what it tells the transaction user.

Value types only, kept apart from :mod:`pbx_core.signaling.useragent` so the driver, the call
machine and the tests can import them without the layer. ``Transmit``, ``ArmTimer`` and
``DisarmTimer`` are I/O for the driver; the rest are events for the transaction user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from pbx_core.signaling.message import SipRequest, SipResponse
from pbx_core.signaling.transport import Address

if TYPE_CHECKING:
    from pbx_core.signaling.useragent import (
        ClientTransactionHandle,
        ServerTransactionHandle,
        TimerOwner,
    )

__all__ = [
    "AckReceived",
    "AckTimedOut",
    "ArmTimer",
    "DisarmTimer",
    "InviteCancelled",
    "RequestReceived",
    "RequestTimedOut",
    "ResponseReceived",
    "Transmit",
    "UaAction",
    "UaEvent",
]


@dataclass(frozen=True, slots=True)
class Transmit:
    """Put ``message`` (or already encoded bytes) on the wire to ``dest``."""

    message: SipRequest | SipResponse | bytes
    dest: Address


@dataclass(frozen=True, slots=True)
class ArmTimer:
    """(Re)start timer ``name`` of ``owner``; on expiry call ``timer_fired(owner, name, now)``."""

    owner: TimerOwner
    name: str
    delay: float


@dataclass(frozen=True, slots=True)
class DisarmTimer:
    """Stop timer ``name`` of ``owner``."""

    owner: TimerOwner
    name: str


@dataclass(frozen=True, slots=True)
class RequestReceived:
    """A new request (not ACK, not CANCEL); answer it through ``handle.respond``."""

    handle: ServerTransactionHandle


@dataclass(frozen=True, slots=True)
class InviteCancelled:
    """The INVITE of ``handle`` was cancelled (§9.2); the CANCEL is already answered 200."""

    handle: ServerTransactionHandle


@dataclass(frozen=True, slots=True)
class AckReceived:
    """An ACK for a 2xx to INVITE (§13.3.1.4) arrived from ``source``."""

    request: SipRequest
    source: Address


@dataclass(frozen=True, slots=True)
class AckTimedOut:
    """The 2xx to the INVITE of ``handle`` was never acknowledged (64*T1): send BYE."""

    handle: ServerTransactionHandle


@dataclass(frozen=True, slots=True)
class ResponseReceived:
    """A response to the request of ``handle`` (retransmitted 2xx to INVITE included)."""

    handle: ClientTransactionHandle
    response: SipResponse


@dataclass(frozen=True, slots=True)
class RequestTimedOut:
    """Timer B or F expired for the request of ``handle``: treat it as a 408."""

    handle: ClientTransactionHandle


UaEvent: TypeAlias = (
    RequestReceived
    | InviteCancelled
    | AckReceived
    | AckTimedOut
    | ResponseReceived
    | RequestTimedOut
)
UaAction: TypeAlias = Transmit | ArmTimer | DisarmTimer | UaEvent
