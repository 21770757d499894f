"""Errors of the SIP engine.

pjsua2's own exceptions are wrapped once, where the engine thread calls it::

    * SipEngineError
      + EngineNotRunningError     the engine was never started or is closed
      + UnknownAccountError       no account with that id
      + UnknownCallError          no call with that id (or it already ended)
      + PjsuaError           pjsua2 refused an operation (status text kept)
    * AudioDeviceError       a sound device could not be opened or failed
"""

from __future__ import annotations

__all__ = [
    "AudioDeviceError",
    "EngineNotRunningError",
    "PjsuaError",
    "SipEngineError",
    "UnknownAccountError",
    "UnknownCallError",
]


class SipEngineError(Exception):
    """Root of the engine's SIP errors."""


class EngineNotRunningError(SipEngineError):
    """The engine thread is not running."""


class UnknownAccountError(SipEngineError):
    """No account has this id."""


class UnknownCallError(SipEngineError):
    """No live call has this id."""


class PjsuaError(SipEngineError):
    """pjsua2 raised an error; the message carries its reason."""


class AudioDeviceError(Exception):
    """A sound device could not be opened or stopped working."""
