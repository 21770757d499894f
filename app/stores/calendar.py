"""The calendar (S4): the signed-in user's plans in the window on view, and the last save.

Filled by :class:`app.controllers.calendar.CalendarController` from ``GET /api/v1/me/plans``
and reloaded on the ``plans.changed`` event. Like the chat store it has its own ``changed``
signal, naming what changed: ``"plans"``, ``"saved"`` (the answer to a save, with its overlaps)
or ``"error"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QObject, Signal

from app.presence_status import PresenceStatus, is_status
from app.server_events import parse_until

__all__ = ["REPEATS", "CalendarStore", "PlanDraft", "PlanEntry", "Repeat", "Run"]

Repeat = Literal["none", "daily", "weekly", "monthly", "yearly", "custom"]
REPEATS: tuple[Repeat, ...] = ("none", "daily", "weekly", "monthly", "yearly", "custom")


@dataclass(frozen=True, slots=True)
class PlanDraft:
    """What the plan dialog edits; times are wall-clock times in ``time_zone``."""

    name: str
    status: PresenceStatus
    start: dt.datetime
    end: dt.datetime
    all_day: bool = False
    repeat: Repeat = "none"
    rrule: str | None = None
    note: str | None = None
    time_zone: str = "UTC"

    def to_api(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "start": self.start.replace(tzinfo=None).isoformat(),
            "end": self.end.replace(tzinfo=None).isoformat(),
            "all_day": self.all_day,
            "time_zone": self.time_zone,
            "repeat": self.repeat,
            "rrule": self.rrule if self.repeat == "custom" else None,
            "note": self.note or None,
        }


@dataclass(frozen=True, slots=True)
class Run:
    """One occurrence of a plan, aware UTC."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """A plan as the server keeps it, with its runs in the window and its overlaps."""

    id: int
    draft: PlanDraft
    runs: tuple[Run, ...] = ()
    overlaps: tuple[int, ...] = ()

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> PlanEntry:
        """A row of ``GET /api/v1/me/plans``; ValueError names a bad field."""
        status = row.get("status")
        repeat = row.get("repeat")
        if not is_status(status):
            raise ValueError("plan: status must be a presence status")
        if repeat not in REPEATS:
            raise ValueError("plan: unknown repeat")
        plan_id = row.get("id")
        if not isinstance(plan_id, int):
            raise ValueError("plan: id must be a whole number")
        runs = []
        for o in _list(row.get("occurrences")):
            start, end = parse_until(o.get("start")), parse_until(o.get("end"))
            if start is None or end is None:
                raise ValueError("plan: an occurrence needs a start and an end")
            runs.append(Run(start, end))
        draft = PlanDraft(
            name=str(row.get("name", "")),
            status=status,
            start=dt.datetime.fromisoformat(str(row.get("start"))),
            end=dt.datetime.fromisoformat(str(row.get("end"))),
            all_day=bool(row.get("all_day")),
            repeat=_repeat(repeat),
            rrule=_text(row.get("rrule")) if repeat == "custom" else None,
            note=_text(row.get("note")),
            time_zone=str(row.get("time_zone", "UTC")),
        )
        overlaps = tuple(i for i in _ints(row.get("overlaps")))
        return cls(plan_id, draft, tuple(runs), overlaps)


def _repeat(value: object) -> Repeat:
    for r in REPEATS:
        if r == value:
            return r
    return "none"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value: object) -> list[Mapping[str, object]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _ints(value: object) -> list[int]:
    return [v for v in value if isinstance(v, int)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class SavedPlan:
    entry: PlanEntry
    overlap_names: tuple[str, ...] = field(default=())


class CalendarStore(QObject):
    """The plans on view; ``changed(names)`` with names from "plans", "saved", "error"."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.window: tuple[dt.datetime, dt.datetime] | None = None
        self.plans: list[PlanEntry] = []
        self.saved: SavedPlan | None = None
        self.error: str | None = None

    def set_plans(self, window: tuple[dt.datetime, dt.datetime], plans: list[PlanEntry]) -> None:
        self.window = window
        self.plans = plans
        self.changed.emit(frozenset({"plans"}))

    def set_saved(self, saved: SavedPlan) -> None:
        self.saved = saved
        self.error = None
        self.changed.emit(frozenset({"saved"}))

    def set_error(self, message: str) -> None:
        self.error = message
        self.changed.emit(frozenset({"error"}))

    def plan(self, plan_id: int) -> PlanEntry | None:
        return next((p for p in self.plans if p.id == plan_id), None)

    def running(self, now: dt.datetime) -> tuple[PlanEntry, Run] | None:
        """The plan whose status applies at ``now``: of those running, the last started."""
        found = [
            (r.start, p.id, p, r) for p in self.plans for r in p.runs if r.start <= now < r.end
        ]
        if not found:
            return None
        _start, _id, plan, run = max(found, key=lambda f: (f[0], f[1]))
        return plan, run

    def runs_between(self, start: dt.datetime, end: dt.datetime) -> list[tuple[PlanEntry, Run]]:
        """The runs overlapping [start, end), by start."""
        found = [(p, r) for p in self.plans for r in p.runs if r.start < end and start < r.end]
        return sorted(found, key=lambda f: (f[1].start, f[0].id))
