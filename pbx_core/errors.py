"""Errors raised by the PBX core.

One root for the whole package; foreign errors are wrapped once, ``from exc``::

    * PbxError
      + SipError(status, reason)
        - LocalSipError      we refused or could not send something
        - RemoteSipError     the peer sent something we cannot accept
      + MediaError           RTP ports, SDP negotiation, codecs
      + StoreError           persistence failed
      + NotFound             a user, extension or call does not exist
      + Conflict             the request clashes with the current state
      + AuthError            wrong credentials
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "Conflict",
    "LocalSipError",
    "MediaError",
    "NotFound",
    "PbxError",
    "RemoteSipError",
    "SipError",
    "StoreError",
]


class PbxError(Exception):
    """Root of every error the PBX core raises on purpose."""


class SipError(PbxError):
    """A SIP-level failure that maps to a status code and reason phrase."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


class LocalSipError(SipError):
    """We refused a request or could not complete our own."""


class RemoteSipError(SipError):
    """The peer sent something we cannot accept."""


class MediaError(PbxError):
    """RTP port allocation, SDP negotiation or codec failure."""


class StoreError(PbxError):
    """The database failed; nothing was changed."""


class NotFound(PbxError):
    """The thing asked for does not exist."""


class Conflict(PbxError):
    """The request clashes with the current state."""


class AuthError(PbxError):
    """Wrong user name or password."""
