"""A colleague's upcoming planned status, as presence carries it (docs/presence.md): the
``planned`` list of the API's presence objects and of ``presence.updated``, parsed once here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.presence_status import PresenceStatus, is_status

__all__ = ["PlannedStatus", "parse_planned"]


@dataclass(frozen=True, slots=True)
class PlannedStatus:
    """One upcoming status of a colleague: what and when (aware UTC times)."""

    status: PresenceStatus
    start: dt.datetime
    end: dt.datetime


def _time(value: object) -> dt.datetime:
    if not isinstance(value, str) or not value:
        raise ValueError("planned: start and end must be ISO-8601 times")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def parse_planned(value: object) -> tuple[PlannedStatus, ...]:
    """The wire's ``planned`` (a list of ``{"status", "start", "end"}``; absent: none), earliest
    first. ValueError with the reason for anything else."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("planned must be a list")
    out: list[PlannedStatus] = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("planned: each entry must be an object")
        status = item.get("status")
        if not is_status(status):
            raise ValueError("planned: status must be a presence status")
        out.append(PlannedStatus(status, _time(item.get("start")), _time(item.get("end"))))
    return tuple(sorted(out, key=lambda p: (p.start, p.end)))
