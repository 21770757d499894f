"""A user's upcoming planned statuses, as their presence shows them (X3, P4). Pure.

:func:`upcoming` picks the occurrences of a user's plans that start within the next
:data:`~pbx_core.presence_view.PLANNED_WINDOW` (start in ``(now, now + window]``), at most
:data:`~pbx_core.presence_view.MAX_PLANNED`, earliest first. One already running is the current
status and is not listed. :func:`next_change` says when such a list changes next without any
plan being edited (an occurrence enters the window, or starts and leaves the list), and whose,
so that the presence board needs one timer for all users, not a poll per user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pbx_core.calendar.model import Occurrence, Plan, expand
from pbx_core.presence_view import MAX_PLANNED, PLANNED_WINDOW, PlannedStatus

__all__ = ["PlanMoment", "next_change", "upcoming"]


@dataclass(frozen=True, slots=True)
class PlanMoment:
    """The next moment some users' upcoming statuses change by the clock alone."""

    at: datetime
    extensions: frozenset[str]


def _ahead(plans: Iterable[Plan], now: datetime, span: int) -> list[Occurrence]:
    """Occurrences of ``plans`` starting in (now, now + span windows], by start."""
    end = now + PLANNED_WINDOW * span
    found = [
        o
        for p in plans
        for o in expand(p, now, end + PLANNED_WINDOW)  # overlapping; filtered by start below
        if now < o.start <= end
    ]
    found.sort(key=lambda o: (o.start, o.end, o.plan.id))
    return found


def upcoming(plans: Iterable[Plan], now: datetime) -> tuple[PlannedStatus, ...]:
    """The planned statuses a watcher sees of the owner of ``plans`` at ``now``."""
    return tuple(
        PlannedStatus(o.plan.status, o.start, o.end) for o in _ahead(plans, now, 1)[:MAX_PLANNED]
    )


def next_change(plans: Iterable[Plan], now: datetime) -> PlanMoment | None:
    """When the upcoming statuses of some owner of ``plans`` change next (after ``now``): an
    occurrence starts (it leaves the list) or comes within the window (it enters it)."""
    moments: dict[datetime, set[str]] = {}
    for o in _ahead(plans, now, 2):
        at = o.start if o.start <= now + PLANNED_WINDOW else o.start - PLANNED_WINDOW
        if at > now:
            moments.setdefault(at, set()).add(o.plan.extension)
    if not moments:
        return None
    first = min(moments)
    return PlanMoment(first, frozenset(moments[first]))
