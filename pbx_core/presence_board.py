"""The presence board: follows the bus and says whose computed presence changed.

It keeps no state of its own beyond what it learns from events (statuses, roles and notes of
:class:`~pbx_core.presence.PresenceService`) and the last view it computed per user, so it can
tell when one changed. Views come from :func:`pbx_core.presence_view.compute_view`, the one
place that computes them. Changes are gathered for one turn of the event loop (a call's answer
touches the line, the calls and the bindings in one go), and for at least ``min_interval``
after the last flush (a busy PBX's call events would otherwise recompute every user in a call
for each of them), and then published once as
:class:`~pbx_core.presence_view.PresenceUpdated` and handed to the listeners (the SIP
notifier). Runs on the loop thread only.

Upcoming planned statuses (docs/calendar.md) come from a plan source given with
:meth:`PresenceBoard.follow_plans`: a user's view is computed again when their plans change
(``plans.changed``) and when one of their occurrences comes within the window or starts, for
which the board keeps one timer, set for the earliest such moment of all users.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Final, Protocol

from pbx_core.bus import EventBus
from pbx_core.calendar.service import PlansChanged
from pbx_core.events import (
    BindingAdded,
    BindingRemoved,
    Event,
    LineStateChanged,
    PresenceChanged,
)
from pbx_core.presence import Presence, PresenceDetailsChanged
from pbx_core.presence_view import (
    PlannedStatus,
    PresenceUpdated,
    PresenceView,
    compute_view,
    slot_view,
)
from pbx_core.routing.events import ForwardingChanged
from pbx_core.signaling.features import PARK_SLOTS

if TYPE_CHECKING:
    from pbx_core.calendar.upcoming import PlanMoment
    from pbx_core.signaling.parking import ParkedCall
    from pbx_core.telephony import ActiveCall

__all__ = ["Changes", "PlanSource", "PresenceBoard"]

_log = logging.getLogger(__name__)

Changes = dict[str, tuple[PresenceView | None, PresenceView]]
"""extension -> (the view before, the view now)."""

_DEFAULT = Presence("available")
_TOUCHES_ONE = (BindingAdded, BindingRemoved, LineStateChanged, ForwardingChanged, PlansChanged)
_MAX_PLAN_SLEEP: Final = 3600.0
"""Look at the plans at least hourly, so a changed wall clock is noticed."""


class PlanSource(Protocol):
    """Where upcoming statuses come from (:class:`pbx_core.calendar.service.PlanService`)."""

    def upcoming(self, extension: str) -> tuple[PlannedStatus, ...]: ...

    def next_upcoming_change(self) -> PlanMoment | None: ...

    def now(self) -> datetime: ...


class PresenceBoard:
    """Computes views on demand and announces changed ones."""

    def __init__(
        self,
        bus: EventBus,
        *,
        is_user: Callable[[str], bool],
        registered: Callable[[str], bool],
        calls: Callable[[], Sequence[ActiveCall]],
        parked: Callable[[], Sequence[ParkedCall]],
        min_interval: float = 0.0,
    ) -> None:
        self._bus = bus
        self._min_interval = min_interval
        self._last_flush = -min_interval
        self._is_user = is_user
        self._registered = registered
        self._calls = calls
        self._parked = parked
        self._status: dict[str, Presence] = {}
        self._last: dict[str, PresenceView] = {}
        self._dirty: set[str] = set()
        self._calls_dirty = False
        self._scheduled: asyncio.Handle | None = None
        self.listeners: list[Callable[[Changes], None]] = []
        self.forwarding: Callable[[str], str | None] = lambda extension: None
        """Where a user's calls are forwarded (set by call routing, pbx_core/routing)."""
        self.planned: Callable[[str], tuple[PlannedStatus, ...]] = lambda extension: ()
        """A user's upcoming planned statuses (set by :meth:`follow_plans`)."""
        self._plans: PlanSource | None = None
        self._planned: dict[str, tuple[PlannedStatus, ...]] = {}
        """Each user's upcoming statuses as last asked; dropped when their plans change and
        whenever the plan timer fires (a call's events recompute views without asking)."""
        self._plan_timer: asyncio.TimerHandle | None = None
        self.plan_moment: PlanMoment | None = None
        """The moment the plan timer is set for (None: no occurrence ahead)."""
        self._unsubscribe = bus.subscribe(self._on_event)

    def follow_plans(self, plans: PlanSource) -> None:
        """Show the upcoming statuses of ``plans`` (loaded) in the views from now on."""
        self._plans = plans
        self.planned = plans.upcoming
        self._planned.clear()
        self._dirty.update(e for e in self._last if e not in PARK_SLOTS)
        self._arm_plans()
        self._schedule()

    def _arm_plans(self) -> None:
        """Set the one plan timer for the next moment some user's upcoming statuses change."""
        if self._plan_timer is not None:
            self._plan_timer.cancel()
            self._plan_timer = None
        if self._plans is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a test without one): no timer
        try:
            self.plan_moment = self._plans.next_upcoming_change()
        except ValueError:
            _log.exception("the next change of upcoming statuses")
            self.plan_moment = None  # looked at again within the hour
        delay = _MAX_PLAN_SLEEP
        if self.plan_moment is not None:
            wait = (self.plan_moment.at - self._plans.now()).total_seconds()
            delay = min(delay, max(0.0, wait))
        self._plan_timer = loop.call_later(delay, self._plans_due)

    def _upcoming(self, extension: str) -> tuple[PlannedStatus, ...]:
        found = self._planned.get(extension)
        if found is None:
            try:
                found = self.planned(extension)
            except ValueError:  # a plan that cannot be expanded must not stop presence
                _log.exception("upcoming statuses of %s", extension)
                found = ()
            self._planned[extension] = found
        return found

    def _plans_due(self) -> None:
        self._plan_timer = None
        self._planned.clear()
        moment, plans = self.plan_moment, self._plans
        if moment is not None and plans is not None and moment.at <= plans.now():
            self._dirty.update(moment.extensions)
            self._schedule()
        self._arm_plans()

    def stop_plans(self) -> None:
        """No more plan timer (the PBX stops); views keep what they showed."""
        self._plans = None
        if self._plan_timer is not None:
            self._plan_timer.cancel()
            self._plan_timer = None

    def close(self) -> None:
        self._unsubscribe()
        self.stop_plans()
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None

    def presence(self, extension: str) -> Presence:
        return self._status.get(extension, _DEFAULT)

    def view(self, extension: str) -> PresenceView:
        """The view of ``extension`` (or of a park slot) now."""
        if extension in PARK_SLOTS:
            return slot_view(extension, self._parked())
        return compute_view(
            extension,
            self.presence(extension),
            registered=self._registered(extension),
            calls=self._calls(),
            parked=self._parked(),
            forwarding=self.forwarding(extension),
            planned=self._upcoming(extension),
        )

    def current(self, extension: str) -> PresenceView:
        """The view as of the last flush (every change comes with an event that flushes), or
        computed now for a user not seen yet: what NOTIFY bodies are rendered from."""
        view = self._last.get(extension)
        if view is None:
            view = self._last[extension] = self.view(extension)
        return view

    def _on_event(self, event: Event) -> None:
        if isinstance(event, PresenceUpdated):
            return
        if isinstance(event, PresenceChanged):
            old = self.presence(event.extension)
            self._status[event.extension] = replace(old, status=event.status, until=event.until)
            self._dirty.add(event.extension)
        elif isinstance(event, PresenceDetailsChanged):
            old = self.presence(event.extension)
            self._status[event.extension] = replace(old, role=event.role, note=event.note)
            self._dirty.add(event.extension)
        elif isinstance(event, _TOUCHES_ONE):
            self._dirty.add(event.extension)
            if isinstance(event, PlansChanged):
                self._planned.pop(event.extension, None)
                self._arm_plans()
        elif event.kind.startswith(("call.", "conference.")):
            self._calls_dirty = True
        else:
            return
        self._schedule()

    def _schedule(self) -> None:
        if self._scheduled is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()  # no loop (a test without one): at once
            return
        wait = self._last_flush + self._min_interval - time.monotonic()
        if wait > 0:  # flushed a moment ago: gather until min_interval has passed
            self._scheduled = loop.call_later(wait, self.flush)
        else:
            self._scheduled = loop.call_soon(self.flush)

    def flush(self) -> Changes:
        """Compute the views touched since the last flush; publish and hand on the changed."""
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
        self._last_flush = time.monotonic()
        dirty, self._dirty = self._dirty, set()
        calls = list(self._calls())
        parked = list(self._parked())
        if self._calls_dirty:
            self._calls_dirty = False
            for call in calls:
                dirty.update(p.extension for p in call.parties)
            dirty.update(p.parked_by for p in parked)
            dirty.update(e for e, v in self._last.items() if v.line != "idle")
            dirty.update(PARK_SLOTS)
        by_party = _calls_by_party(calls)
        changes: Changes = {}
        for ext in sorted(dirty):
            if ext in PARK_SLOTS:
                view = slot_view(ext, parked)
            elif ext and self._is_user(ext):
                view = compute_view(
                    ext,
                    self.presence(ext),
                    registered=self._registered(ext),
                    calls=by_party.get(ext, ()),
                    parked=parked,
                    forwarding=self.forwarding(ext),
                    planned=self._upcoming(ext),
                )
            else:
                continue
            old = self._last.get(ext)
            if old != view:
                self._last[ext] = view
                changes[ext] = (old, view)
        for ext, view_pair in changes.items():
            if ext not in PARK_SLOTS:  # a slot is no one's presence
                self._bus.publish(PresenceUpdated.of(view_pair[1]))
        if changes:
            for listener in list(self.listeners):
                try:
                    listener(changes)
                except Exception:
                    _log.exception("presence listener failed")
        return changes


def _calls_by_party(calls: Sequence[ActiveCall]) -> dict[str, list[ActiveCall]]:
    """Each extension's calls, in the order of ``calls``: a view reads only its own, so a flush
    is linear in the calls, not in calls times dirty users."""
    out: dict[str, list[ActiveCall]] = {}
    for call in calls:
        for ext in {p.extension for p in call.parties}:
            out.setdefault(ext, []).append(call)
    return out
