"""The thin asyncio driver of the plan scheduler: one timer, statuses set through presence.

At start (also after a restart in the middle of a plan) it steps the
:class:`~pbx_core.calendar.scheduler.PlanScheduler` once, which applies the plan running now,
then sleeps until the next start or end. A plan's status is set with the occurrence's end as
its "until", so presence itself falls back to available even if this timer is late; at the end
the driver returns the user to available only if the status is still the one the plan set (a
status the user chose meanwhile stays).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final

from pbx_core.calendar.model import Plan
from pbx_core.calendar.scheduler import ApplyStatus, PlanScheduler, ReturnToAvailable
from pbx_core.errors import PbxError
from pbx_core.presence import AVAILABLE, PresenceService

__all__ = ["PlanDriver"]

_log = logging.getLogger(__name__)
_MAX_SLEEP: Final = 3600.0
"""Step at least hourly, so a changed wall clock is noticed."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class PlanDriver:
    """Performs the scheduler's actions on :class:`PresenceService`; runs on the loop."""

    def __init__(
        self,
        presence: PresenceService,
        plans: Callable[[], list[Plan]],
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._presence = presence
        self._plans = plans
        self._clock = clock
        self._scheduler = PlanScheduler()
        self._timer: asyncio.TimerHandle | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = False
        self.next_at: datetime | None = None

    def running_plan(self, extension: str) -> Plan | None:
        """The plan whose status the driver applied for ``extension`` (None: none runs)."""
        occurrence = self._scheduler.applied(extension)
        return occurrence.plan if occurrence is not None else None

    async def start(self) -> None:
        self._running = True
        await self.step()

    def stop(self) -> None:
        self._running = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for task in self._tasks:
            task.cancel()

    def reschedule(self) -> None:
        """Plans changed: step soon (on the loop)."""
        if not self._running:
            return
        task = asyncio.get_running_loop().create_task(self.step())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def step(self) -> None:
        async with self._lock:
            now = self._clock()
            result = self._scheduler.step(now, self._plans())
            for action in result.actions:
                try:
                    await self._perform(action, now)
                except (PbxError, ValueError) as exc:
                    _log.warning("plan %d of %s: %s", action.plan_id, action.extension, exc)
            self.next_at = result.next_at
            self._arm(now)

    async def _perform(self, action: ApplyStatus | ReturnToAvailable, now: datetime) -> None:
        if isinstance(action, ApplyStatus):
            if action.until > now:
                _log.info("plan %d: %s is %s", action.plan_id, action.extension, action.status)
                await self._presence.set(action.extension, action.status, action.until)
            return
        presence = self._presence.get(action.extension)
        if presence.status == action.status and presence.until == action.until:
            _log.info("plan %d ended: %s is available", action.plan_id, action.extension)
            await self._presence.set(action.extension, AVAILABLE)

    def _arm(self, now: datetime) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._running:
            return
        delay = _MAX_SLEEP
        if self.next_at is not None:
            delay = min(delay, max(0.0, (self.next_at - now).total_seconds()))
        self._timer = asyncio.get_running_loop().call_later(delay, self.reschedule)
