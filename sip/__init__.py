"""The desktop client's SIP engine on pjsua2: accounts, calls, DTMF, WAV media.

Knows nothing of Qt; events arrive on the engine thread (see :mod:`sip.engine`).
"""

from __future__ import annotations

from sip.config import AccountSettings, EngineConfig
from sip.engine import AudioSource, Pending, SipEngine
from sip.errors import (
    AudioDeviceError,
    EngineNotRunningError,
    PjsuaError,
    SipEngineError,
    UnknownAccountError,
    UnknownCallError,
)
from sip.events import (
    AudioDeviceChanged,
    CallQuality,
    CallStateChanged,
    ConferenceChanged,
    DtmfReceived,
    EngineEvent,
    IncomingCall,
    MediaStateChanged,
    RegistrationChanged,
    TransferProgress,
)
from sip.types import (
    AccountId,
    CallId,
    CallState,
    DeclineCode,
    SoundDevice,
    TransferStage,
    TransportName,
)

__all__ = [
    "AccountId",
    "AccountSettings",
    "AudioDeviceChanged",
    "AudioDeviceError",
    "AudioSource",
    "CallId",
    "CallQuality",
    "CallState",
    "CallStateChanged",
    "ConferenceChanged",
    "DeclineCode",
    "DtmfReceived",
    "EngineConfig",
    "EngineEvent",
    "EngineNotRunningError",
    "IncomingCall",
    "MediaStateChanged",
    "Pending",
    "PjsuaError",
    "RegistrationChanged",
    "SipEngine",
    "SipEngineError",
    "SoundDevice",
    "TransferProgress",
    "TransferStage",
    "TransportName",
    "UnknownAccountError",
    "UnknownCallError",
]
