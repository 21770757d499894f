"""Events the engine hands to the application.

Every event is delivered through the ``on_event`` callback given to
:class:`sip.engine.SipEngine`, on the engine thread; the application hops it to
its GUI/asyncio thread (``loop.call_soon_threadsafe``) before touching state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sip.types import AccountId, CallId, CallState, TransferStage

__all__ = [
    "AudioDeviceChanged",
    "CallQuality",
    "CallStateChanged",
    "ConferenceChanged",
    "DtmfReceived",
    "EngineEvent",
    "IncomingCall",
    "MediaStateChanged",
    "RegistrationChanged",
    "TransferProgress",
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
    """A new INVITE arrived; the engine already answered 180 Ringing.

    ``referred_by`` is the URI of the INVITE's ``Referred-By`` (RFC 3892: the call was
    transferred to us by that party), ``referred_by_name`` its display name; both "" if none.
    ``queue`` is the URI of the PBX's ``X-Queue`` header (the call rings us as an agent of
    that queue), ``queue_name`` the name agents see ("via Support"); both "" if none.
    """

    call_id: CallId
    account_id: AccountId
    remote_uri: str
    remote_display_name: str
    referred_by: str = ""
    referred_by_name: str = ""
    queue: str = ""
    queue_name: str = ""


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


@dataclass(frozen=True, slots=True)
class TransferProgress:
    """A NOTIFY (RFC 3515 section 2.4.5) about the REFER sent on ``call_id``.

    ``code`` and ``reason`` are the status line of the sipfrag body (or of the REFER's own
    response). On ``"succeeded"`` the engine hangs the call up: it has been handed over.
    """

    call_id: CallId
    stage: TransferStage
    code: int
    reason: str


@dataclass(frozen=True, slots=True)
class ConferenceChanged:
    """The calls whose audio the local conference bridge mixes (each hears all others and us).

    Sent when a call joins or leaves; an empty ``call_ids`` means there is no conference.
    """

    call_ids: tuple[CallId, ...]


@dataclass(frozen=True, slots=True)
class CallQuality:
    """Receive quality of a call's audio stream from its RTCP statistics, every few seconds.

    ``mos`` is an estimate (ITU-T G.107 E-model, simplified) from loss, jitter and round trip.
    """

    call_id: CallId
    loss_percent: float
    jitter_ms: float
    rtt_ms: float
    mos: float


EngineEvent = (
    RegistrationChanged
    | IncomingCall
    | CallStateChanged
    | MediaStateChanged
    | DtmfReceived
    | AudioDeviceChanged
    | TransferProgress
    | ConferenceChanged
    | CallQuality
)
