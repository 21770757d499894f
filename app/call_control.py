"""What a call's row says about transfer, consultation, conference and quality (pure).

The call control states of :class:`app.call_model.ActiveCall`, moved by the engine's events
(:class:`sip.TransferProgress`, :class:`sip.ConferenceChanged`, :class:`sip.CallQuality`)
through :data:`TRANSFER_TRANSITIONS` and :func:`with_conference`. What the user asked for
(a blind transfer, a park, a move, an attended transfer, an invitation) is noted on the row
first, and shown only once the engine reports progress.

Words: a *transfer* hands the remote party to someone else (RFC 3515 REFER); *park* is a
blind transfer to the PBX's park number; *move* a blind transfer to another device of the
user; *consult* an attended transfer's second call (the first one on hold); a *conference*
the calls mixed in the local bridge (meet-me rooms 8000-8009 are the PBX's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sip import TransferStage

__all__ = [
    "PARK_NUMBER",
    "PICK_UP_AGAIN",
    "SUPERVISOR_CODES",
    "TRANSFER_TRANSITIONS",
    "ConsultRole",
    "Quality",
    "QualityLevel",
    "TransferKind",
    "TransferState",
    "next_transfer_state",
    "pickup_code",
    "supervisor_code",
]

PARK_NUMBER = "7000"
"""A blind transfer here parks the call in the first free slot 7001-7019 (the PBX's)."""
PICK_UP_AGAIN = "*7*"
"""Dialled, the user's own answered call on another of his phones moves to this one."""

TransferKind = Literal["blind", "attended", "park", "move"]
TransferState = Literal["transferring", "transferred", "failed"]
ConsultRole = Literal["original", "consult"]
QualityLevel = Literal["good", "fair", "poor"]

TRANSFER_TRANSITIONS: dict[TransferState | None, dict[TransferStage, TransferState]] = {
    None: {
        "trying": "transferring",
        "accepted": "transferring",
        "succeeded": "transferred",
        "failed": "failed",
    },
    "transferring": {
        "trying": "transferring",
        "accepted": "transferring",
        "succeeded": "transferred",
        "failed": "failed",
    },
    "failed": {
        "trying": "transferring",
        "accepted": "transferring",
        "failed": "failed",
        "succeeded": "transferred",
    },
    "transferred": {"succeeded": "transferred"},
}
"""``TRANSFER_TRANSITIONS[state][stage]``: a failed transfer may be tried again."""


def next_transfer_state(state: TransferState | None, stage: TransferStage) -> TransferState:
    """The next transfer state; ``ValueError`` with exact text for a move the table lacks."""
    nxt = TRANSFER_TRANSITIONS[state].get(stage)
    if nxt is None:
        raise ValueError(f"no transfer transition from {state!r} on {stage!r}")
    return nxt


def pickup_code(extension: str) -> str:
    """What to dial to pick up the call ringing at ``extension`` (``*9*<ext>*``)."""
    if not extension.isdigit():
        raise ValueError(f"an extension is digits only: {extension!r}")
    return f"*9*{extension}*"


SUPERVISOR_CODES = {"listen": "66", "whisper": "67", "barge": "68"}
"""A queue supervisor on an agent's answered queue call: listen, whisper to the agent, barge in
(docs/call-control.md)."""


def supervisor_code(action: str, extension: str) -> str:
    """What a supervisor dials to ``action`` ("listen", "whisper", "barge") on the queue call of
    agent ``extension``: ``*66*<ext>*``, ``*67*<ext>*``, ``*68*<ext>*``."""
    code = SUPERVISOR_CODES.get(action)
    if code is None:
        raise ValueError(f"not a supervisor action: {action!r}")
    if not extension.isdigit():
        raise ValueError(f"an extension is digits only: {extension!r}")
    return f"*{code}*{extension}*"


@dataclass(frozen=True, slots=True)
class Quality:
    """The receive quality of a call's audio, from the engine's RTCP figures."""

    loss_percent: float
    jitter_ms: float
    rtt_ms: float
    mos: float

    @property
    def level(self) -> QualityLevel:
        """Plain words: good (MOS 4.0 and up), fair (3.1 and up) or poor."""
        if self.mos >= 4.0:
            return "good"
        return "fair" if self.mos >= 3.1 else "poor"
