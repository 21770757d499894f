"""The rows of the call model: one :class:`ActiveCall` per call, and the changes to them.

Frozen values (no behaviour beyond reading): :mod:`app.call_model` moves them on the engine's
events and re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.call_control import ConsultRole, Quality, TransferKind, TransferState
from app.call_outcome import Outcome
from app.devices import MoveChoice

__all__ = [
    "ActiveCall",
    "CallAdded",
    "CallChange",
    "CallChanged",
    "CallDirection",
    "CallModelError",
    "CallRemoved",
    "LiveState",
]

CallDirection = Literal["outgoing", "incoming"]
LiveState = Literal["calling", "ringing", "incoming", "answering", "connected", "held", "ended"]


class CallModelError(ValueError):
    """An engine event that no transition allows (the event is ignored, the model unchanged)."""


@dataclass(frozen=True, slots=True)
class ActiveCall:
    """One call as the user sees it; ``connected_at`` is monotonic seconds (for the timer)."""

    key: str
    direction: CallDirection
    number: str
    name: str | None
    state: LiveState
    connected_at: float | None = None
    muted: bool = False
    remote_held: bool = False
    end_code: int | None = None
    outcome: Outcome | None = None
    """How it ended (:mod:`app.call_outcome`), set with the state ``"ended"``."""
    referred_by: str | None = None
    """Who transferred this incoming call to us (name, else number), from ``Referred-By``."""
    queue: str | None = None
    """The queue this incoming call rings us for ("Support"), from the PBX's ``X-Queue``."""
    transfer_kind: TransferKind | None = None
    """What the user asked for (noted before the engine reports anything)."""
    transfer: TransferState | None = None
    """Where the transfer stands, from the engine's :class:`sip.TransferProgress`."""
    transfer_code: int | None = None
    move_to: MoveChoice | None = None
    """Where "Move" sends the call (another phone of the user, or the mobile number)."""
    consult_with: str | None = None
    """The other call of an attended transfer (the held original, or the consult call)."""
    consult_role: ConsultRole | None = None
    conference: tuple[str, ...] = ()
    """Every call mixed with this one in the local bridge (this one included); () when none."""
    invited_into: str | None = None
    """An invitation: merge with that call when this one is answered."""
    quality: Quality | None = None

    @property
    def live(self) -> bool:
        return self.state != "ended"

    @property
    def held(self) -> bool:
        """On hold by us: the state, nothing else."""
        return self.state == "held"

    @property
    def ringing_in(self) -> bool:
        """An incoming call not connected yet (ringing, or answered and waiting for the ACK)."""
        return self.state in ("incoming", "answering")

    @property
    def in_call(self) -> bool:
        """Answered and not ended (connected or held)."""
        return self.state in ("connected", "held")

    @property
    def in_conference(self) -> bool:
        return bool(self.conference)


@dataclass(frozen=True, slots=True)
class CallAdded:
    call: ActiveCall


@dataclass(frozen=True, slots=True)
class CallChanged:
    before: ActiveCall
    call: ActiveCall

    @property
    def ended(self) -> bool:
        """This change ended the call."""
        return self.before.live and not self.call.live


@dataclass(frozen=True, slots=True)
class CallRemoved:
    key: str


CallChange = CallAdded | CallChanged | CallRemoved
