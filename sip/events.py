"""Events the engine hands to the application.

Every event is delivered through the ``on_event`` callback given to
:class:`sip.engine.SipEngine`, on the engine thread; the application hops it to
its GUI/asyncio thread (``loop.call_soon_threadsafe``) before touching state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sip.types import AccountId, CallId, CallState

__all__ = [
    "AudioDeviceChanged",
    "CallStateChanged",
    "DtmfReceived",
    "EngineEvent",
    "IncomingCall",
    "MediaStateChanged",
    "RegistrationChanged",
]


@dataclass(frozen=True, slots=True)
class RegistrationChanged:
    """A REGISTER transaction ended (RFC 3261 section 10); expires 0 means unregistered."""

    account_id: AccountId
    code: int
    reason: str
    expires: int
    registered: bool


@dataclass(frozen=True, slots=True)
class IncomingCall:
    """A new INVITE arrived; the engine already answered 180 Ringing."""

    call_id: CallId
    account_id: AccountId
    remote_uri: str
    remote_display_name: str


@dataclass(frozen=True, slots=True)
class CallStateChanged:
    """The INVITE session of a call moved to a new state."""

    call_id: CallId
    state: CallState
    code: int
    reason: str
    remote_uri: str
    remote_display_name: str
    incoming: bool


@dataclass(frozen=True, slots=True)
class MediaStateChanged:
    """The call's audio changed: RFC 3264 hold by either side, or our microphone muted.

    Sent on every change of any of these, so the application shows them from this event only.
    """

    call_id: CallId
    active: bool
    held_by_us: bool
    held_by_remote: bool
    muted: bool = False


@dataclass(frozen=True, slots=True)
class DtmfReceived:
    """The remote sent a DTMF digit (RFC 4733 telephone-event)."""

    call_id: CallId
    digit: str


@dataclass(frozen=True, slots=True)
class AudioDeviceChanged:
    """A sound device stream of the bridge failed or came back (hot-plug)."""

    role: str
    available: bool
    reason: str


EngineEvent = (
    RegistrationChanged
    | IncomingCall
    | CallStateChanged
    | MediaStateChanged
    | DtmfReceived
    | AudioDeviceChanged
)
