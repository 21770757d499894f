"""Call history (``GET /api/v1/calls``) and the count of missed calls not yet seen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from app.bus import ChangeHub, HistoryChange
from app.call_outcome import Outcome, outcome_of_record
from app.stores._base import Store

__all__ = ["Direction", "HistoryChange", "HistoryEntry", "HistoryStore", "entry_from_api"]


Direction = Literal["incoming", "outgoing", "missed"]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    direction: Direction
    number: str
    name: str | None
    started_at: dt.datetime
    duration_s: int
    seen: bool
    answered: bool | None = None
    """None: not told (an older server); then an outgoing call counts as answered."""
    reason: str = ""
    """The PBX's reason (``"hangup"``, ``"busy"``, ``"not-found"``, …; docs/api.md)."""
    call_id: str | None = None
    """The PBX's id of the call (what a voicemail message names as the call that left it)."""

    @property
    def outcome(self) -> Outcome:
        """How the call ended (:mod:`app.call_outcome`), from the record's fields."""
        answered = self.direction != "missed" if self.answered is None else self.answered
        return outcome_of_record(self.direction, answered, self.reason)


def _utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def entry_from_api(row: dict[str, Any], seen_ids: set[int]) -> HistoryEntry:
    """One row of the API's call list; a missed call is seen only if its id was marked."""
    direction = row.get("direction")
    if direction not in ("incoming", "outgoing", "missed"):
        raise ValueError(f"unknown call direction: {direction!r}")
    ident = int(row["id"])
    name = row.get("name") or None
    return HistoryEntry(
        id=ident,
        direction=direction,
        number=str(row.get("number") or ""),
        name=str(name) if name is not None else None,
        started_at=_utc(str(row["started_at"])),
        duration_s=int(row.get("duration") or 0),
        seen=direction != "missed" or ident in seen_ids,
        answered=bool(row["answered"]) if "answered" in row else None,
        reason=str(row.get("reason") or ""),
        call_id=str(row["call_id"]) if row.get("call_id") else None,
    )


class HistoryStore(Store):
    """Change names on the hub: ``"entries"`` and ``"unseen"``."""

    name = "history"

    def _changed(self, what: HistoryChange, initiator: object | None = None) -> None:
        self._publish((what,), initiator)

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.entries: list[HistoryEntry] = []
        self.unseen_missed = 0

    def set_entries(self, entries: Iterable[HistoryEntry]) -> None:
        ordered = sorted(entries, key=lambda e: (e.started_at, e.id), reverse=True)
        names: set[HistoryChange] = set()
        if ordered != self.entries:
            self.entries = ordered
            names.add("entries")
        unseen = sum(1 for e in ordered if not e.seen)
        if unseen != self.unseen_missed:
            self.unseen_missed = unseen
            names.add("unseen")
        if names:
            self._publish(names)  # one change naming both
