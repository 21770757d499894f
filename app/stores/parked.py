"""Calls parked at the PBX (slots 7001-7019), for the "Parked calls" list.

Filled from ``GET /api/v1/parked`` at sign-in and kept current by the ``call.parked`` /
``call.unparked`` events (:class:`app.controllers.parked.ParkedController`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.bus import ChangeHub
from app.server_events import parse_until
from app.stores._base import Store

__all__ = ["ParkedCall", "ParkedStore"]


@dataclass(frozen=True, slots=True)
class ParkedCall:
    """One parked call: dial ``slot`` to take it."""

    slot: str
    call_id: str
    caller: str
    caller_name: str | None
    parked_by: str
    parked_by_name: str | None
    since: dt.datetime

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> ParkedCall:
        """A row of ``GET /api/v1/parked``; ``ValueError`` names a bad field."""

        def text(name: str, optional: bool = False) -> str | None:
            value = row.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"parked call: {name} must be a string")
            return value

        since = parse_until(row.get("since"))
        if since is None:
            raise ValueError("parked call: since must be an ISO-8601 time")
        return cls(
            str(text("slot")),
            str(text("call_id")),
            str(text("caller")),
            text("caller_name", True),
            str(text("parked_by")),
            text("parked_by_name", True),
            since,
        )


class ParkedStore(Store):
    """Publishes ``Changes("parked", {"parked"})``; ``calls`` are in slot order."""

    name = "parked"

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.calls: list[ParkedCall] = []

    def set_calls(self, calls: list[ParkedCall]) -> None:
        self.calls = sorted(calls, key=lambda c: int(c.slot))
        self._publish({"parked"})

    def put(self, call: ParkedCall) -> None:
        """A call was parked (a slot taken again replaces what was there)."""
        self.set_calls(
            [c for c in self.calls if c.slot != call.slot and c.call_id != call.call_id] + [call]
        )

    def remove(self, slot: str, call_id: str) -> None:
        kept = [c for c in self.calls if c.slot != slot and c.call_id != call_id]
        if len(kept) != len(self.calls):
            self.set_calls(kept)
