"""Identifier and literal types shared by the SIP engine's modules."""

from __future__ import annotations

from typing import Literal, NewType

__all__ = [
    "AccountId",
    "CallId",
    "CallState",
    "DeclineCode",
    "SoundDevice",
    "TransferStage",
    "TransportName",
]

AccountId = NewType("AccountId", str)
CallId = NewType("CallId", str)
CallState = Literal["calling", "ringing", "early", "connecting", "confirmed", "disconnected"]
TransportName = Literal["udp", "tcp", "tls"]
"""``tls``: SIP over TLS, with SRTP required for the media (RFC 3711, keys by SDES)."""
DeclineCode = Literal[486, 603]
SoundDevice = Literal["none", "null", "device"]  # what clocks the conference bridge
TransferStage = Literal["trying", "accepted", "succeeded", "failed"]
"""Where a REFER we sent stands (RFC 3515 NOTIFY sipfrag): see :func:`sip._transfer.stage_of`."""
