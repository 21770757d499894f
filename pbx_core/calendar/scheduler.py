"""Which plan's status applies now, and when that next changes: a pure state machine.

:meth:`PlanScheduler.step` is fed the time and every plan; it returns the actions to perform
(:class:`ApplyStatus`, :class:`ReturnToAvailable`) and the time to be called again. It remembers
which occurrence it applied per user, so a repeated step at the same time does nothing, and a
fresh scheduler (after a restart) applies what runs now. When plans of one user overlap, the
one that started last wins; when it ends, the other applies again for the rest of its time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from pbx_core.calendar.model import Occurrence, Plan, expand
from pbx_core.presence import PresenceStatus

__all__ = ["HORIZON", "ApplyStatus", "PlanScheduler", "ReturnToAvailable", "Step", "current"]

HORIZON: Final = timedelta(days=400)
"""How far ahead the next change is looked for; beyond it the driver just steps again."""
_TICK: Final = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class ApplyStatus:
    """Set the user's status to the plan's until the occurrence ends."""

    extension: str
    plan_id: int
    status: PresenceStatus
    until: datetime


@dataclass(frozen=True, slots=True)
class ReturnToAvailable:
    """The applied occurrence ended (or its plan went): back to available, if the status is
    still the one the plan set (``status`` until ``until``)."""

    extension: str
    plan_id: int
    status: PresenceStatus
    until: datetime


Action = ApplyStatus | ReturnToAvailable


@dataclass(frozen=True, slots=True)
class Step:
    actions: list[Action] = field(default_factory=list)
    next_at: datetime | None = None


def current(now: datetime, plans: Sequence[Plan]) -> Occurrence | None:
    """The occurrence whose status applies at ``now`` among ``plans`` (one user's)."""
    running = [o for p in plans for o in expand(p, now, now + _TICK) if o.start <= now < o.end]
    if not running:
        return None
    return max(running, key=lambda o: (o.start, o.plan.id))


def _next_change(now: datetime, plans: Sequence[Plan]) -> datetime | None:
    best: datetime | None = None
    for p in plans:
        for o in expand(p, now, now + HORIZON):
            for t in (o.start, o.end):
                if t > now and (best is None or t < best):
                    best = t
            if best is not None and o.start > best:
                break
    return best


class PlanScheduler:
    """Remembers the occurrence applied per user; :meth:`step` says what changes."""

    def __init__(self) -> None:
        self._applied: dict[str, Occurrence] = {}

    def applied(self, extension: str) -> Occurrence | None:
        return self._applied.get(extension)

    def step(self, now: datetime, plans: Sequence[Plan]) -> Step:
        """The actions due at ``now`` and when to step next (None: no change ahead)."""
        by_user: dict[str, list[Plan]] = {}
        for p in plans:
            by_user.setdefault(p.extension, []).append(p)
        actions: list[Action] = []
        for ext in sorted(set(by_user) | set(self._applied)):
            now_running = current(now, by_user.get(ext, []))
            before = self._applied.get(ext)
            if now_running is not None:
                if before is None or _key(before) != _key(now_running):
                    actions.append(
                        ApplyStatus(
                            ext, now_running.plan.id, now_running.plan.status, now_running.end
                        )
                    )
                self._applied[ext] = now_running
            elif before is not None:
                actions.append(
                    ReturnToAvailable(ext, before.plan.id, before.plan.status, before.end)
                )
                del self._applied[ext]
        return Step(actions, _next_change(now, plans))


def _key(o: Occurrence) -> tuple[int, datetime, datetime, PresenceStatus]:
    return (o.plan.id, o.start, o.end, o.plan.status)
