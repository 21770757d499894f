"""Errors raised by the PBX core.

One root for the whole package; foreign errors are wrapped once, ``from exc``. Malformed input
errors are also ``ValueError`` so parsers can be used like any Python parser::

    * PbxError
      + SipParseError          bytes that are not an acceptable SIP message (signaling.message)
      + FramingError           a TCP stream that cannot be split into messages (signaling.transport)
      + TransactionStateError  a move the transaction's state forbids (signaling._tx_support)
      + MediaError             RTP ports, SDP negotiation, codecs
      + StoreError             persistence failed; nothing was changed
      + NotFound               a user, extension or call does not exist
      + AuthError              wrong credentials
      + Forbidden              the user may not do this (pick up another department's call)
      + Conflict               asked of a call that cannot do it now (transfer a ringing call)

The three SIP errors are defined next to the parser, transport and state machines that raise
them; ``server/errors.py`` maps the tree to HTTP in one handler. Misuse by our own code is not
in the tree: it raises ``RuntimeError`` (``pbx_core.bus.WrongThreadError``) and is a 500.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "Conflict",
    "Forbidden",
    "MediaError",
    "NotFound",
    "PbxError",
    "StoreError",
]


class PbxError(Exception):
    """Root of every error the PBX core raises on purpose."""


class MediaError(PbxError):
    """RTP port allocation, SDP negotiation or codec failure."""


class StoreError(PbxError):
    """The database failed; nothing was changed."""


class NotFound(PbxError):
    """The thing asked for does not exist."""


class AuthError(PbxError):
    """Wrong user name or password."""


class Forbidden(PbxError):
    """The signed-in user may not do what was asked (pick up another department's call)."""


class Conflict(PbxError):
    """What was asked cannot be done in the present state (a call that is not yours, not
    answered, or already being transferred)."""
