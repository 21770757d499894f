"""Runs the queues on a live PBX: the asyncio and bus driver of the queue machines
(:mod:`pbx_core.acd.distribution`), the call machine's queue desk
(:class:`pbx_core.signaling._queues.QueueDesk`).

Everything that happens is parsed once into a queue event: the call machine's own events
(an agent answered, every phone refused, a call ended, a queue code), line states (an agent in
another call), presence, registrations, agent logins and changed settings. The machine's
actions come back here: ring these agents' phones, announce, overflow, store an agent's status,
log a call. One timer per queue wakes the machine when it asked to (:meth:`next_due`). Bus
events arrive while the call machine's actions run, so the answers to them are run a moment
later (``call_soon``), never from inside the endpoint.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from pbx_core.acd.call_events import (
    QueueCallAnswered,
    QueueCodeAnswered,
    QueueOfferFailed,
    QueueSays,
)
from pbx_core.acd.distribution import Phase, QueueMachine
from pbx_core.acd.driver_parts import Parts, QueueSource, announcement_prompts
from pbx_core.acd.model import AgentStatus, QueueLive
from pbx_core.acd.queue_events import (
    AgentBusy,
    AgentPresent,
    AgentReachable,
    AgentStatusSet,
    Announce,
    Answered,
    Arrived,
    CallDone,
    Left,
    LogCall,
    OfferFailed,
    Overflow,
    QueueAction,
    QueueEvent,
    Reconfigured,
    Ring,
    SetAgentStatus,
    Tick,
)
from pbx_core.events import (
    BindingAdded,
    BindingRemoved,
    CallEnded,
    Event,
    LineStateChanged,
    PresenceChanged,
)
from pbx_core.ids import CallId, LegId
from pbx_core.signaling._queues import Admission
from pbx_core.signaling.calls import Contact, ForkTarget

__all__ = ["Parts", "QueueDriver", "QueueSource", "announcement_prompts"]

_log = logging.getLogger(__name__)


class QueueDriver:
    """Every queue of the PBX, by number."""

    def __init__(
        self,
        source: QueueSource,
        parts: Parts,
        *,
        set_status: Callable[[str, str, AgentStatus, str], None],
        log_call: Callable[[str, LogCall], None],
        changed: Callable[[str], None] = lambda number: None,
        confirm_code: Callable[[CallId, LegId, tuple[str, ...]], None] | None = None,
        now: Callable[[], float] | None = None,
    ) -> None:
        self._source = source
        self._parts = parts
        self._set_status = set_status
        self._log_call = log_call
        self._changed = changed
        self._confirm_code = confirm_code
        self._now = now or (lambda: asyncio.get_running_loop().time())
        self.machines: dict[str, QueueMachine] = {}
        self._codes: dict[str, str] = {}  # feature code -> queue number
        self._calls: dict[str, str] = {}  # call id -> queue number
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self.on_stop: list[Callable[[], None]] = []  # undoes the wiring (attach)

    # -- settings ------------------------------------------------------------------------

    def load(self) -> None:
        """Read every queue and its agents (at start, and when the settings changed)."""
        now = self._now()
        configs = {c.number: c for c in self._source.queues()}
        for number in list(self.machines):
            if number not in configs:
                machine = self.machines.pop(number)
                for call_id in list(machine.callers):
                    self._calls.pop(call_id, None)
                    self._parts.run(self._parts.machine.hang_up(CallId(call_id)))
        for number, config in configs.items():
            found = self.machines.get(number)
            if found is None:
                statuses = {e: s.status for e, s in self._source.agents(number).items()}
                started = QueueMachine.start(config, statuses, now)
                self.machines[number] = started
                for extension in started.agents:
                    self._sense(started, extension, now)
            elif found.config != config:
                self._do(number, found.handle(Reconfigured(config), now))
                for extension in found.agents:
                    self._sense(found, extension, now)
        self._codes = {c.feature_code: c.number for c in configs.values()}

    def _sense(self, machine: QueueMachine, extension: str, now: float) -> None:
        """What the PBX knows of a new agent now: line, presence, registered phones."""
        parts = self._parts
        for event in (
            AgentBusy(extension, parts.line_busy(extension)),
            AgentPresent(extension, parts.is_available(extension)),
            AgentReachable(extension, bool(parts.bindings(extension))),
        ):
            machine.handle(event, now)

    def agent_status(self, number: str, extension: str, status: AgentStatus) -> None:
        """An agent logged in, paused or logged out (the service stored it)."""
        self._feed(number, AgentStatusSet(extension, status))

    # -- the call machine's desk ---------------------------------------------------------

    def queue_name(self, number: str) -> str | None:
        machine = self.machines.get(number)
        return machine.config.shown_name if machine is not None else None

    def admit(self, call_id: CallId, queue: str, caller: str, caller_name: str | None) -> Admission:
        return self._admit(call_id, queue, caller, caller_name, (queue,))

    def _arrive(
        self, call_id: str, queue: str, caller: str, caller_name: str | None
    ) -> tuple[Overflow | None, list[QueueAction]]:
        """``queue``'s machine hears of the caller: its overflow (if any) and the rest."""
        machine = self.machines[queue]
        local = self._parts.local_now()
        closed = not machine.config.is_open(local, self._parts.holiday(local.date()))
        actions = machine.handle(Arrived(call_id, caller, caller_name, closed), self._now())
        overflow = next((a for a in actions if isinstance(a, Overflow)), None)
        return overflow, [a for a in actions if a is not overflow]

    def _admit(
        self,
        call_id: CallId,
        queue: str,
        caller: str,
        caller_name: str | None,
        seen: tuple[str, ...],
    ) -> Admission:
        machine = self.machines.get(queue)
        if machine is None:
            return Admission("busy")
        overflow, later = self._arrive(call_id, queue, caller, caller_name)
        asyncio.get_running_loop().call_soon(self._do, queue, later)
        if overflow is not None:
            _log.info("call %s to queue %s overflows (%s)", call_id, queue, overflow.reason)
            to = overflow.to
            if to is not None and to in self.machines and to not in seen:  # into another queue
                return self._admit(call_id, to, caller, caller_name, (*seen, to))
            if overflow.to is None and overflow.reason == "closed":
                return Admission("message", ("queue-closed", "goodbye"))
            if overflow.to is None:
                return Admission("busy")
            return Admission("forward", number=overflow.to)
        self._calls[call_id] = queue
        config = machine.config
        prompts = ("queue-welcome",) if config.welcome else ()
        return Admission("wait", prompts, config.wait_music, queue=queue, name=config.shown_name)

    def supervises(self, queue: str, extension: str) -> bool:
        machine = self.machines.get(queue)
        return machine is not None and extension in machine.config.supervisors

    # -- events ---------------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        """The bus's events, parsed once into the queue machines' own."""
        if isinstance(event, QueueCallAnswered):
            self._later(event.queue, Answered(event.call_id, event.extension))
        elif isinstance(event, QueueOfferFailed):
            self._later(event.queue, OfferFailed(event.call_id))
        elif isinstance(event, CallEnded):
            self._call_ended(event.call_id)
        elif isinstance(event, QueueCodeAnswered):
            asyncio.get_running_loop().call_soon(self._code, event)
        elif isinstance(event, QueueSays):
            asyncio.get_running_loop().call_soon(
                self._say, event.call_id, event.leg_id, event.prompts
            )
        elif isinstance(event, LineStateChanged):
            self._agent_event(event.extension, AgentBusy(event.extension, event.state != "idle"))
        elif isinstance(event, PresenceChanged):
            present = AgentPresent(event.extension, event.status == "available")
            self._agent_event(event.extension, present)
        elif isinstance(event, BindingAdded | BindingRemoved):
            extension = event.extension
            reachable = AgentReachable(extension, bool(self._parts.bindings(extension)))
            self._agent_event(extension, reachable)

    def _call_ended(self, call_id: str) -> None:
        number = self._calls.pop(call_id, None)
        machine = self.machines.get(number or "")
        if number is None or machine is None:
            return
        caller = machine.callers.get(call_id)
        connected = caller is not None and caller.phase is Phase.CONNECTED
        self._later(number, CallDone(call_id) if connected else Left(call_id))

    def _agent_event(self, extension: str, event: QueueEvent) -> None:
        for number, machine in self.machines.items():
            if extension in machine.agents:
                self._later(number, event)

    def _later(self, number: str, event: QueueEvent) -> None:
        asyncio.get_running_loop().call_soon(self._feed, number, event)

    def _feed(self, number: str, event: QueueEvent) -> None:
        machine = self.machines.get(number)
        if machine is None:
            return
        self._do(number, machine.handle(event, self._now()))

    def _code(self, event: QueueCodeAnswered) -> None:
        number = self._codes.get(event.code)
        machine = self.machines.get(number or "")
        ok = number is not None and machine is not None and event.caller in machine.agents
        if ok and number is not None:
            status: AgentStatus = "logged_in" if event.login else "logged_out"
            try:
                self._set_status(number, event.caller, status, "code")
            except ValueError as exc:
                _log.info("queue code of %s refused: %s", event.caller, exc)
                ok = False
        else:
            _log.info(
                "queue code %s of %s refused: no such queue or not a member",
                event.code,
                event.caller,
            )
        said = "queue-logged-in" if event.login else "queue-logged-out"
        self._say(event.call_id, event.leg_id, (said if ok else "not-allowed", "goodbye"))

    def _say(self, call_id: CallId, leg_id: LegId, prompts: tuple[str, ...]) -> None:
        if self._confirm_code is not None:
            self._confirm_code(call_id, leg_id, prompts)
        else:
            self._parts.run(self._parts.machine.hang_up(call_id))

    # -- actions --------------------------------------------------------------------------

    def _do(self, number: str, actions: list[QueueAction]) -> None:
        rings: dict[str, Ring] = {}
        for action in actions:
            if isinstance(action, Ring):
                rings[action.call_id] = action  # the last word for each call
            elif isinstance(action, Overflow):
                log = next(
                    (a for a in actions if isinstance(a, LogCall) and a.call_id == action.call_id),
                    None,
                )
                who = (log.caller, log.caller_name) if log is not None else ("", None)
                self._overflow(action, *who)
            elif isinstance(action, Announce):
                self._announce(number, action)
            elif isinstance(action, SetAgentStatus):
                _log.info(
                    "agent %s of queue %s: %s (%s)",
                    action.extension,
                    number,
                    action.status,
                    action.reason,
                )
                try:
                    self._set_status(number, action.extension, action.status, action.reason)
                except ValueError:
                    _log.exception("the status of agent %s could not be kept", action.extension)
            elif isinstance(action, LogCall):
                if action.outcome == "overflow" and self._calls.get(action.call_id) == number:
                    del self._calls[action.call_id]  # the call goes on elsewhere
                self._log_call(number, action)
        for ring in rings.values():
            self._ring(ring)
        self._changed(number)
        self._arm(number)

    def _ring(self, ring: Ring) -> None:
        parts = self._parts
        wanted = [
            ForkTarget(
                Contact(b.contact, b.destination, b.path), extension, parts.name_of(extension)
            )
            for extension in ring.extensions
            for b in parts.bindings(extension)
        ]
        if ring.extensions:
            _log.info("queue call %s rings %s", ring.call_id, ", ".join(ring.extensions))
        parts.run(parts.machine.queue_offer(CallId(ring.call_id), wanted))

    def _overflow(self, overflow: Overflow, caller: str, caller_name: str | None) -> None:
        call_id = CallId(overflow.call_id)
        machine = self._parts.machine
        target = self.machines.get(overflow.to or "")
        if target is not None and overflow.to is not None:  # another queue: wait there
            _log.info("queue call %s moves to queue %s (%s)", call_id, overflow.to, overflow.reason)
            self._parts.run(machine.queue_move(call_id, overflow.to, target.config.shown_name))
            moved, actions = self._arrive(call_id, overflow.to, caller, caller_name)
            if moved is None:
                self._calls[call_id] = overflow.to
                self._do(overflow.to, actions)
            else:  # that one overflows at once too: a number, or the end of the call
                to = moved.to if moved.to not in self.machines else None
                self._do(overflow.to, actions)
                self._overflow(Overflow(moved.call_id, moved.reason, to), caller, caller_name)
            return
        if overflow.to is not None:
            _log.info("queue call %s goes to %s (%s)", call_id, overflow.to, overflow.reason)
            self._parts.run(machine.queue_forward(call_id, overflow.to))
        else:
            self._parts.run(machine.hang_up(call_id))

    def _announce(self, number: str, announce: Announce) -> None:
        machine = self.machines.get(number)
        music = machine.config.wait_music if machine is not None else "music"
        prompts = announcement_prompts(announce)
        self._parts.run(self._parts.machine.queue_hear(CallId(announce.call_id), prompts, music))

    # -- time -----------------------------------------------------------------------------

    def _arm(self, number: str) -> None:
        old = self._timers.pop(number, None)
        if old is not None:
            old.cancel()
        machine = self.machines.get(number)
        if machine is None:
            return
        now = self._now()
        due = machine.next_due(now)
        if due is None:
            return
        loop = asyncio.get_running_loop()
        self._timers[number] = loop.call_later(
            max(0.0, due - now) + 0.01, self._feed, number, Tick()
        )

    def stop(self) -> None:
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        for undo in self.on_stop:
            undo()
        self.on_stop.clear()

    # -- looking --------------------------------------------------------------------------

    def live(self, number: str) -> QueueLive:
        machine = self.machines.get(number)
        if machine is None:
            return QueueLive(number)
        return machine.live(self._now())
