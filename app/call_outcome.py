"""How a call ended, in plain words: one table from SIP status (or server reason) to an outcome.

A failed call reports a SIP final status (RFC 3261 section 21) in the engine's disconnect event;
the PBX records its own reason for the call history (``"busy"``, ``"not-found"``, …, see
docs/api.md). Both are mapped here, once, to an :data:`Outcome`; each outcome has one short
label (a history row) and one sentence (the call window, the details) in
:mod:`app.outcome_text`.

Pure (no Qt): :func:`outcome_of_sip` and :func:`outcome_of_record` take plain values; the
words are in :mod:`app.outcome_text`.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "FAILED",
    "OUTCOMES",
    "Outcome",
    "outcome_of_record",
    "outcome_of_sip",
]

Outcome = Literal[
    "completed",
    "not_found",
    "not_signed_in",
    "busy",
    "declined",
    "no_answer",
    "cancelled",
    "caller_gave_up",
    "you_declined",
    "you_not_signed_in",
    "missed",
    "refused",
    "unreachable",
    "server_error",
    "no_common_audio",
    "connection_lost",
    "failed",
]

FAILED: frozenset[Outcome] = frozenset(
    {
        "not_found",
        "not_signed_in",
        "busy",
        "declined",
        "no_answer",
        "refused",
        "unreachable",
        "server_error",
        "no_common_audio",
        "connection_lost",
        "failed",
    }
)
"""Outcomes of a call that did not work (a missed call is missed, not failed)."""

# (status, rang) → outcome for our own calls that were never answered. ``rang``: the other
# phone rang (a 180/183 came) before the final answer; None matches both.
_OUTGOING: dict[tuple[int, bool | None], Outcome] = {
    (404, None): "not_found",
    (410, None): "not_found",
    (484, None): "not_found",
    (604, None): "not_found",
    (480, False): "not_signed_in",  # the PBX: nobody of that extension is registered
    (480, True): "no_answer",
    (408, False): "unreachable",  # no answer at all from the PBX
    (408, True): "no_answer",
    (486, None): "busy",
    (600, None): "busy",
    (603, None): "declined",
    (487, None): "cancelled",  # we hung up before the answer (pjsua sends CANCEL)
    (401, None): "refused",
    (403, None): "refused",
    (407, None): "refused",
    (488, None): "no_common_audio",
    (606, None): "no_common_audio",
    (0, None): "unreachable",
    (503, None): "unreachable",  # also pjsip's own transport failure
}

# A call to us that we never answered.
_INCOMING: dict[int, Outcome] = {
    487: "caller_gave_up",  # the caller's CANCEL
    486: "you_declined",
    603: "you_declined",
    600: "you_declined",
}

# The PBX's reason of a history record (``CallReason`` in pbx_core/store/records.py, listed in
# docs/api.md) → outcome, by direction.
_RECORD_OUTGOING: dict[str, Outcome] = {
    "not-found": "not_found",
    "not-registered": "not_signed_in",
    "busy": "busy",
    "unavailable": "busy",  # Do not disturb without voicemail
    "declined": "declined",
    "no-answer": "no_answer",
    "cancelled": "cancelled",
    "no-ack": "connection_lost",
    "session-expired": "connection_lost",
}
_RECORD_MISSED: dict[str, Outcome] = {
    "cancelled": "caller_gave_up",
    "busy": "you_declined",
    "declined": "you_declined",
    "not-registered": "you_not_signed_in",
}

OUTCOMES = (_OUTGOING, _INCOMING, _RECORD_OUTGOING, _RECORD_MISSED)
"""The tables, for tests and docs."""


def outcome_of_sip(code: int, *, incoming: bool, answered: bool, rang: bool = False) -> Outcome:
    """The outcome of a call the engine reports disconnected with SIP status ``code``."""
    if answered:
        if code == 0 or code == 408 or 500 <= code < 600:
            return "connection_lost"
        return "completed"
    if incoming:
        return _INCOMING.get(code, "missed")
    found = _OUTGOING.get((code, rang)) or _OUTGOING.get((code, None))
    if found is not None:
        return found
    if 500 <= code < 600:
        return "server_error"
    return "failed"


def outcome_of_record(direction: str, answered: bool, reason: str) -> Outcome:
    """The outcome of a history record: the API's direction, ``answered`` and ``reason``."""
    if answered:
        return "completed"
    if direction == "missed":
        return _RECORD_MISSED.get(reason, "missed")
    if direction == "outgoing":
        return _RECORD_OUTGOING.get(reason, "failed" if reason else "no_answer")
    return "completed"
