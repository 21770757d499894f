"""The park lot: slots ``7001``-``7019``, who parked which call, and since when. Pure.

A blind transfer to ``7000`` parks the call in the first free slot; dialling the slot picks it
up; a call left longer than the recall time rings the one who parked it again (the call machine
arms that timer). Parked calls are listed for the API and announced as events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pbx_core.ids import CallId
from pbx_core.signaling.features import PARK_SLOTS

__all__ = ["ParkedCall", "ParkingLot"]


@dataclass(frozen=True, slots=True)
class ParkedCall:
    """A call waiting in a park slot."""

    slot: str
    call_id: CallId
    caller: str  # the parked party's number
    caller_name: str | None
    parked_by: str
    parked_by_name: str | None
    since: datetime


class ParkingLot:
    """Which slot holds which call."""

    def __init__(self, slots: tuple[str, ...] = PARK_SLOTS) -> None:
        self._slots = slots
        self._parked: dict[str, ParkedCall] = {}

    def free_slot(self) -> str | None:
        """The first free slot, or None when every slot is taken."""
        return next((slot for slot in self._slots if slot not in self._parked), None)

    def park(self, parked: ParkedCall) -> None:
        if parked.slot in self._parked:
            raise ValueError(f"slot {parked.slot} is taken")
        self._parked[parked.slot] = parked

    def at(self, slot: str) -> ParkedCall | None:
        return self._parked.get(slot)

    def of_call(self, call_id: CallId) -> ParkedCall | None:
        return next((p for p in self._parked.values() if p.call_id == call_id), None)

    def release(self, slot: str) -> ParkedCall | None:
        return self._parked.pop(slot, None)

    def all(self) -> list[ParkedCall]:
        """Parked calls in slot order."""
        return [self._parked[slot] for slot in self._slots if slot in self._parked]
