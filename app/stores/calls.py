"""Live calls: one :class:`ActiveCall` per SIP call, states set from SIP events only.

An ended call stays in the list with state ``"ended"`` (so the call window can say why) until
the controller drops it; :attr:`CallsStore.idle` is True when no call is live.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from app.stores._base import Store

__all__ = ["ActiveCall", "CallDirection", "CallsStore", "LiveState"]

CallDirection = Literal["outgoing", "incoming"]
LiveState = Literal["calling", "ringing", "incoming", "connected", "held", "ended"]


@dataclass(frozen=True, slots=True)
class ActiveCall:
    key: str
    direction: CallDirection
    number: str
    name: str | None
    state: LiveState
    connected_at: float | None = None
    muted: bool = False
    held: bool = False
    remote_held: bool = False
    end_reason: str | None = None

    @property
    def live(self) -> bool:
        return self.state != "ended"


class CallsStore(Store):
    """``changed`` names: ``"calls"`` (added or removed) and ``"call:<key>"`` (one changed)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[ActiveCall] = []

    @property
    def idle(self) -> bool:
        return not any(c.live for c in self.calls)

    def get(self, key: str) -> ActiveCall | None:
        return next((c for c in self.calls if c.key == key), None)

    def add(self, call: ActiveCall) -> None:
        if self.get(call.key) is not None:
            raise ValueError(f"call {call.key!r} is already listed")
        self.calls.append(call)
        self.changed.emit("calls")

    def update(self, key: str, **fields: Any) -> ActiveCall | None:
        """Change fields of a listed call; None when it is not (or no longer) listed."""
        current = self.get(key)
        if current is None:
            return None
        new = replace(current, **fields)
        if new != current:
            self.calls[self.calls.index(current)] = new
            self.changed.emit(f"call:{key}")
        return new

    def remove(self, key: str) -> None:
        current = self.get(key)
        if current is not None:
            self.calls.remove(current)
            self.changed.emit("calls")
