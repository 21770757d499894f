"""Runs a rule's schedule (:mod:`pbx_core.routing.schedule`) on a call: the driver of the timed
steps. The first phase's phones are the call's first forks; at each later phase the phones it
adds are rung as new forks of the same call and the phones it no longer wants are cancelled;
voicemail takes the call at the schedule's time (the call machine's own voicemail timer is set
to it, or stopped when the rule has no voicemail step).

A "mobile" or "number" step is dialled like any number a user dials on the PBX: today that is an
extension (its registered phones ring); an outside number would go out through an outbound
trunk, which the PBX does not have yet, so it rings nothing. A mobile's fork belongs to the
callee (it is their phone); another number's fork belongs to that number.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from pbx_core.bus import EventBus
from pbx_core.events import CallEnded, CallRinging, Event
from pbx_core.ids import CallId
from pbx_core.routing.schedule import Phase, Schedule, device_kind
from pbx_core.signaling._call_actions import CallAction
from pbx_core.signaling.bindings import Binding
from pbx_core.signaling.callmachine import CallMachine
from pbx_core.signaling.calls import Call, Contact, ForkTarget, LegState

__all__ = ["Cancellable", "Later", "StepRunner"]

_log = logging.getLogger(__name__)
_L = LegState


class Cancellable(Protocol):
    def cancel(self) -> None: ...


Later = Callable[[float, Callable[[], None]], Cancellable]
"""(delay in seconds, callback) -> a handle: how the runner waits (the loop's ``call_later``)."""


def _call_later(delay: float, callback: Callable[[], None]) -> Cancellable:
    return asyncio.get_running_loop().call_later(delay, callback)


def _loop_time() -> float:
    return asyncio.get_running_loop().time()


@dataclass(slots=True)
class _Running:
    callee: str
    caller: str
    schedule: Schedule
    started: float
    handles: list[Cancellable] = field(default_factory=list)


class StepRunner:
    """The timed steps of the calls a rule decided, by call id."""

    def __init__(
        self,
        machine: CallMachine,
        run: Callable[[list[CallAction]], None],
        bus: EventBus,
        *,
        bindings: Callable[[str], list[Binding]],
        name_of: Callable[[str], str | None],
        mobile_of: Callable[[str], str | None],
        later: Later = _call_later,
        now: Callable[[], float] = _loop_time,
    ) -> None:
        self._machine = machine
        self._later = later
        self._now = now
        self._run = run
        self._bindings = bindings
        self._name_of = name_of
        self._mobile_of = mobile_of
        self._calls: dict[CallId, _Running] = {}
        bus.subscribe(self.on_event)

    # -- which phones a key rings --------------------------------------------------------

    def rings(self, callee: str, caller: str, key: str) -> list[ForkTarget]:
        """The phones ``key`` rings now for a call from ``caller`` to ``callee``."""
        name = self._name_of(callee)
        if key in ("softphone", "desk_phone"):
            return [
                ForkTarget(Contact(b.contact, b.destination, b.path), callee, name)
                for b in self._bindings(callee)
                if device_kind(b.user_agent) == key
            ]
        number = self._mobile_of(callee) if key == "mobile" else key.removeprefix("number:")
        if not number or number in (caller, callee) or self._name_of(number) is None:
            return []  # an outside number needs an outbound trunk (none yet)
        owner, owner_name = (callee, name) if key == "mobile" else (number, self._name_of(number))
        return [
            ForkTarget(Contact(b.contact, b.destination, b.path), owner, owner_name)
            for b in self._bindings(number)
        ]

    def phase_rings(self, callee: str, caller: str, phase: Phase) -> list[ForkTarget]:
        found: dict[str, ForkTarget] = {}
        for key in sorted(phase.ring):
            for ring in self.rings(callee, caller, key):
                found.setdefault(str(ring.contact.uri), ring)
        return list(found.values())

    # -- a call under a schedule ---------------------------------------------------------

    def track(self, call: Call, caller: str, schedule: Schedule, first: list[ForkTarget]) -> None:
        """``call`` was just made with ``first`` as its forks (in order): name them, and run
        the later phases and the voicemail time."""
        for fork, ring in zip(call.forks, first, strict=False):
            fork.extension, fork.name = ring.extension, ring.name
        running = _Running(call.callee, caller, schedule, self._now())
        for phase in schedule.phases[1:]:
            handle = self._later(phase.at_s, functools.partial(self._phase, call.call_id, phase))
            running.handles.append(handle)
        if schedule.queue is not None and schedule.queue_at is not None:
            take = functools.partial(self._to_queue, call.call_id, schedule.queue)
            running.handles.append(self._later(schedule.queue_at, take))
        self._calls[call.call_id] = running

    def _ringing(self, call_id: CallId) -> Call | None:
        call = self._machine.registry.calls.get(call_id)
        if (
            call is None
            or call.ended
            or call.b is not None
            or call.service is not None
            or call.transfer is not None
            or call.picked_by is not None
            or call.a.state not in (_L.TRYING, _L.RINGING)
        ):
            return None
        return call

    def _phase(self, call_id: CallId, phase: Phase) -> None:
        running = self._calls.get(call_id)
        call = self._ringing(call_id)
        if running is None or call is None:
            return
        wanted = self.phase_rings(running.callee, running.caller, phase)
        if not wanted:
            return  # nothing of this phase can ring now: what rings goes on
        _log.info("call %s: phase at %.0f s rings %s", call_id, phase.at_s, sorted(phase.ring))
        self._run(self._machine.ring_only(call_id, wanted))

    def _to_queue(self, call_id: CallId, queue: str) -> None:
        """Nobody answered before the rule's queue step: the queue takes the caller."""
        if self._ringing(call_id) is None:
            return
        _log.info("call %s: the rule's queue step sends it to queue %s", call_id, queue)
        self._run(self._machine.queue_take(call_id, queue))

    def _retime_voicemail(self, call_id: CallId) -> None:
        """The machine armed its voicemail timer for the call: move it to the rule's time."""
        running = self._calls.get(call_id)
        if running is None or self._ringing(call_id) is None:
            return
        at = running.schedule.voicemail_at
        left = None if at is None else at - (self._now() - running.started)
        self._run(self._machine.voicemail_after(call_id, left))

    def on_event(self, event: Event) -> None:
        """The bus's events: a tracked call rang (its voicemail timer is armed), or ended."""
        if isinstance(event, CallRinging) and event.call_id in self._calls:
            # published while the machine arms its timer: move it once that is done
            self._later(0.0, functools.partial(self._retime_voicemail, event.call_id))
        elif isinstance(event, CallEnded):
            running = self._calls.pop(event.call_id, None)
            for handle in running.handles if running is not None else ():
                handle.cancel()
