"""Plans of users on the loop: create, change, delete, look up a window, report overlaps.

Keeps every plan in memory (a few per user) after :meth:`PlanService.start`, writes through to
the store on its worker thread, publishes :class:`PlansChanged` for the owner's clients and lets
the :class:`~pbx_core.calendar.driver.PlanDriver` set statuses as plans start and end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar, Final, Literal

from pbx_core.bus import EventBus
from pbx_core.calendar import repository
from pbx_core.calendar.driver import PlanDriver
from pbx_core.calendar.model import Occurrence, Plan, expand, overlapping, validate, zone
from pbx_core.calendar.upcoming import PlanMoment, next_change, upcoming
from pbx_core.errors import NotFound
from pbx_core.events import Event
from pbx_core.presence import PresenceService
from pbx_core.presence_view import PlannedStatus
from pbx_core.store import Store

__all__ = ["OVERLAP_HORIZON", "PlanService", "PlansChanged", "Saved"]

OVERLAP_HORIZON: Final = timedelta(days=366)
"""Overlaps are looked for from now (or the plan's start) this far ahead."""
MAX_WINDOW: Final = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class PlansChanged(Event):
    """A user's plans changed (sent to that user's clients only)."""

    kind: ClassVar[str] = "plans.changed"
    extension: str
    plan_id: int
    change: Literal["created", "updated", "deleted"]

    @property
    def audience(self) -> frozenset[str]:
        return frozenset({self.extension})


@dataclass(frozen=True, slots=True)
class Saved:
    """A stored plan and the ids of the user's plans that run at the same time."""

    plan: Plan
    overlaps: list[int]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class PlanService:
    """The plans of every user; runs on the loop."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        presence: PresenceService,
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._store = store
        self._bus = bus
        self._clock = clock
        self._plans: dict[int, Plan] = {}
        self.driver = PlanDriver(presence, self.all, clock=clock)

    async def start(self) -> None:
        """Load the plans (store open) and apply the one running now for each user."""
        self._plans = {
            p.id: p for p in await self._store.aio.call(repository.all_plans, self._store)
        }
        await self.driver.start()

    def stop(self) -> None:
        self.driver.stop()

    def all(self) -> list[Plan]:
        return list(self._plans.values())

    def plans_of(self, extension: str) -> list[Plan]:
        return [p for p in self._plans.values() if p.extension == extension]

    def plan(self, extension: str, plan_id: int) -> Plan:
        plan = self._plans.get(plan_id)
        if plan is None or plan.extension != extension:
            raise NotFound(f"no plan {plan_id} of yours")
        return plan

    def window(
        self, extension: str, start: datetime, end: datetime
    ) -> list[tuple[Plan, list[Occurrence]]]:
        """The user's plans that run in [start, end), with those occurrences."""
        if end <= start:
            raise ValueError("to must be after from")
        if end - start > MAX_WINDOW:
            raise ValueError(f"the window is longer than {MAX_WINDOW.days} days")
        found = []
        for p in sorted(self.plans_of(extension), key=lambda p: (p.start, p.id)):
            occurrences = expand(p, start, end)
            if occurrences:
                found.append((p, occurrences))
        return found

    def now(self) -> datetime:
        return self._clock()

    def upcoming(self, extension: str) -> tuple[PlannedStatus, ...]:
        """What colleagues see of the user's plans in their presence: the next few starts."""
        return upcoming(self.plans_of(extension), self._clock())

    def next_upcoming_change(self) -> PlanMoment | None:
        """When some user's :meth:`upcoming` changes next by the clock alone, and whose."""
        return next_change(self._plans.values(), self._clock())

    def overlaps(self, plan: Plan) -> list[int]:
        now = self._clock()
        first = plan.start.replace(tzinfo=zone(plan.time_zone)).astimezone(UTC)
        start = max(now, first) - timedelta(days=1)
        return overlapping(plan, self.plans_of(plan.extension), start, start + OVERLAP_HORIZON)

    async def create(self, plan: Plan) -> Saved:
        """Store a new plan (``plan.id`` is ignored). ValueError when it is not valid."""
        validate(plan)
        stored = await self._store.aio.call(repository.add_plan, self._store, plan)
        self._plans[stored.id] = stored
        return self._saved(stored, "created")

    async def update(self, plan: Plan) -> Saved:
        self.plan(plan.extension, plan.id)
        validate(plan)
        if not await self._store.aio.call(repository.update_plan, self._store, plan):
            raise NotFound(f"no plan {plan.id} of yours")
        self._plans[plan.id] = plan
        return self._saved(plan, "updated")

    async def delete(self, extension: str, plan_id: int) -> None:
        self.plan(extension, plan_id)
        if not await self._store.aio.call(repository.delete_plan, self._store, extension, plan_id):
            raise NotFound(f"no plan {plan_id} of yours")
        del self._plans[plan_id]
        self._changed(extension, plan_id, "deleted")

    def _saved(self, plan: Plan, change: Literal["created", "updated"]) -> Saved:
        self._changed(plan.extension, plan.id, change)
        return Saved(plan, self.overlaps(plan))

    def _changed(
        self, extension: str, plan_id: int, change: Literal["created", "updated", "deleted"]
    ) -> None:
        self._bus.publish(PlansChanged(extension, plan_id, change))
        self.driver.reschedule()
