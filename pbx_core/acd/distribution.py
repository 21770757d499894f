"""One queue's callers and agents, sans-IO: who waits, whose phones ring, who overflows.

The machine is fed what happened (:data:`QueueEvent`, parsed once by the driver) with the time
it happened, and returns what to do (:data:`QueueAction`) for the driver
(:mod:`pbx_core.acd.driver`) to carry out on the call machine and the store. It has no clock:
``now`` is always given, and :meth:`QueueMachine.next_due` says when it wants a :class:`Tick`.

A caller moves by one row of ``TABLE``: ``(phase, event) -> handler``; the handler sets the next
phase. WAITING callers are offered, head of the line first, to the available agents
(logged in, not paused, in no call, past their wrap-up and rest, with a registered phone, and
present when the queue asks for it), ``parallel`` at a time, in priority order (lower first)
or by skill (higher first), the longest idle first among equals. An offer rings
``ring_seconds``; when nobody answers (or every phone refuses) the agents rung count a miss
(``missed_before_logout`` in a row logs them out), rest a few seconds, and the caller is
offered again. The first to answer takes the call (CONNECTED) and gets ``wrap_up_seconds``
after it ends.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from pbx_core.acd.model import (
    AgentLive,
    AgentStatus,
    OverflowReason,
    QueueConfig,
    QueueLive,
    WaitingCaller,
)
from pbx_core.acd.queue_events import (
    AgentBusy,
    AgentPresent,
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
from pbx_core.acd.queue_state import Agent, Caller, Phase

__all__ = ["REST_SECONDS", "Caller", "Phase", "QueueMachine"]

REST_SECONDS = 5.0  # an agent who let an offer go is not offered again for this long
_AVERAGE_OF = 10  # answered waits the expected wait is the mean of


# -- state ---------------------------------------------------------------------------------


_Handler = Callable[["QueueMachine", Caller, object, float], list[QueueAction]]


@dataclass(slots=True)
class QueueMachine:
    """The callers and agents of one queue."""

    config: QueueConfig
    rng: random.Random = field(default_factory=random.Random)
    callers: dict[str, Caller] = field(default_factory=dict)  # in arrival order
    agents: dict[str, Agent] = field(default_factory=dict)
    answered_waits: list[float] = field(default_factory=list)

    @classmethod
    def start(
        cls, config: QueueConfig, statuses: Mapping[str, AgentStatus], now: float
    ) -> QueueMachine:
        machine = cls(config)
        for member in config.members:
            status = statuses.get(member.extension, "logged_out")
            machine.agents[member.extension] = Agent(member.extension, status, idle_since=now)
        return machine

    # -- feeding -------------------------------------------------------------------------

    def handle(self, event: QueueEvent, now: float) -> list[QueueAction]:
        """What ``event`` changes at ``now``, then every offer that can be made."""
        actions = self._apply(event, now)
        return actions + self._dispatch(now)

    def _apply(self, event: QueueEvent, now: float) -> list[QueueAction]:
        if isinstance(event, Arrived):
            return self._arrived(event, now)
        if isinstance(event, Tick):
            return self._tick(now)
        if isinstance(event, Reconfigured):
            return self._reconfigured(event.config, now)
        if isinstance(event, Answered | OfferFailed | Left | CallDone):
            caller = self.callers.get(event.call_id)
            if caller is None:
                return []
            handler = self.TABLE.get((caller.phase, type(event).__name__))
            return [] if handler is None else handler(self, caller, event, now)
        agent = self.agents.get(event.extension)
        if agent is None:
            return []
        if isinstance(event, AgentStatusSet):
            if event.status != "logged_in":
                agent.missed_in_row = 0
            if agent.status == "logged_out" and event.status == "logged_in":
                agent.idle_since = now
            agent.status = event.status
            return self._withdraw(agent, now) if event.status != "logged_in" else []
        if isinstance(event, AgentBusy):
            if not event.busy and agent.busy and agent.serving is None:
                agent.idle_since = now
            agent.busy = event.busy
        elif isinstance(event, AgentPresent):
            agent.present = event.present
        else:
            agent.reachable = event.reachable
        return []

    # -- the callers' table --------------------------------------------------------------

    def _answered(self, caller: Caller, event: object, now: float) -> list[QueueAction]:
        assert isinstance(event, Answered)
        for extension in caller.ringing:
            other = self.agents.get(extension)
            if other is not None and other.offered == caller.call_id:
                other.offered = None
        caller.phase, caller.ringing, caller.agent = Phase.CONNECTED, (), event.extension
        agent = self.agents.get(event.extension)
        if agent is not None:
            agent.serving, agent.missed_in_row = caller.call_id, 0
        waited = now - caller.since
        self.answered_waits = [*self.answered_waits[-(_AVERAGE_OF - 1) :], waited]
        return [self._log(caller, now, "answered", agent=event.extension)]

    def _offer_over(self, caller: Caller, event: object, now: float) -> list[QueueAction]:
        """Nobody took the offer: each agent rung missed it; the caller waits again."""
        actions: list[QueueAction] = []
        for extension in caller.ringing:
            agent = self.agents.get(extension)
            if agent is None or agent.offered != caller.call_id:
                continue
            agent.offered = None
            agent.rest_until = now + REST_SECONDS
            agent.missed_in_row += 1
            limit = self.config.missed_before_logout
            if limit is not None and agent.missed_in_row >= limit and agent.status != "logged_out":
                agent.status, agent.missed_in_row = "logged_out", 0
                actions.append(SetAgentStatus(extension, "logged_out", "missed"))
        caller.phase, caller.ringing = Phase.WAITING, ()
        caller.attempts += 1
        limit = self.config.max_attempts
        if limit is not None and caller.attempts >= limit and self.config.attempts_forward:
            return actions + self._overflow(caller, "attempts", now, ring_stop=False)
        return actions

    def _left(self, caller: Caller, event: object, now: float) -> list[QueueAction]:
        actions = self._stop_offer(caller)
        del self.callers[caller.call_id]
        return [*actions, self._log(caller, now, "abandoned")]

    def _done(self, caller: Caller, event: object, now: float) -> list[QueueAction]:
        del self.callers[caller.call_id]
        agent = self.agents.get(caller.agent or "")
        if agent is not None and agent.serving == caller.call_id:
            agent.serving = None
            agent.idle_since = now
            agent.wrap_until = now + self.config.wrap_up_seconds
        return []

    TABLE: ClassVar[dict[tuple[Phase, str], _Handler]] = {
        (Phase.WAITING, "Left"): _left,
        (Phase.WAITING, "Answered"): _answered,  # an agent answered as the ring time ran out
        (Phase.RINGING, "Answered"): _answered,
        (Phase.RINGING, "OfferFailed"): _offer_over,
        (Phase.RINGING, "Left"): _left,
        (Phase.CONNECTED, "CallDone"): _done,
        (Phase.CONNECTED, "Left"): _done,
    }

    # -- arrivals, time, settings --------------------------------------------------------

    def _arrived(self, event: Arrived, now: float) -> list[QueueAction]:
        if event.call_id in self.callers:
            return []
        caller = Caller(event.call_id, event.caller, event.caller_name, now)
        if event.closed:
            return self._overflow_row(caller, "closed", now)
        waiting = [c for c in self.callers.values() if c.phase is not Phase.CONNECTED]
        longest = max((now - c.since for c in waiting), default=0.0)
        limit = self.config.max_longest_wait_seconds
        if len(waiting) >= self.config.max_waiting or (limit is not None and longest > limit):
            return self._overflow_row(caller, "full", now)
        nobody = not any(self._logged_in(a) for a in self.agents.values())
        if self.config.no_agents_forward and nobody:
            return self._overflow_row(caller, "no_agents", now)
        every = self.config.announce_every_seconds
        caller.next_announce = now + every if every > 0 else None
        self.callers[caller.call_id] = caller
        return []

    def _tick(self, now: float) -> list[QueueAction]:
        actions: list[QueueAction] = []
        for caller in list(self.callers.values()):
            if caller.phase is Phase.RINGING and now >= caller.ring_until:
                ringing = Ring(caller.call_id, ())  # the phones stop (or the next ones ring)
                actions += [ringing, *self._offer_over(caller, None, now)]
            if caller.call_id not in self.callers or caller.phase is Phase.CONNECTED:
                continue
            limit = self.config.max_wait_seconds
            if limit is not None and now - caller.since >= limit and self.config.timeout_forward:
                actions += self._overflow(caller, "timeout", now)
                continue
            if caller.next_announce is not None and now >= caller.next_announce:
                caller.next_announce = now + self.config.announce_every_seconds
                announce = self._announcement(caller)
                if announce is not None:
                    actions.append(announce)
        return actions

    def _reconfigured(self, config: QueueConfig, now: float) -> list[QueueAction]:
        self.config = config
        actions: list[QueueAction] = []
        members = {m.extension for m in config.members}
        for extension in list(self.agents):
            if extension not in members:
                agent = self.agents.pop(extension)
                actions += self._withdraw(agent, now)
        for extension in members - set(self.agents):
            self.agents[extension] = Agent(extension, idle_since=now)
        return actions

    # -- offers --------------------------------------------------------------------------

    def _logged_in(self, agent: Agent) -> bool:
        return (
            agent.status == "logged_in"
            and agent.reachable
            and (agent.present or not self.config.presence_affects)
        )

    def _available(self, agent: Agent, now: float) -> bool:
        return (
            self._logged_in(agent)
            and not agent.busy
            and agent.offered is None
            and agent.serving is None
            and now >= agent.wrap_until
            and now >= agent.rest_until
        )

    def _order(self, agents: list[Agent]) -> list[Agent]:
        position = {m.extension: i for i, m in enumerate(self.config.members)}
        config = self.config

        def key(agent: Agent) -> tuple[float, float, float]:
            member = config.member(agent.extension)
            rank = float(member.priority if member else 999)
            if config.strategy == "skill":
                rank = -float(member.skill if member else 0)
            if config.longest_idle:
                tie = agent.idle_since
            elif config.strategy == "skill":
                tie = self.rng.random()
            else:
                tie = 0.0
            return (rank, tie, float(position.get(agent.extension, 999)))

        return sorted(agents, key=key)

    def _dispatch(self, now: float) -> list[QueueAction]:
        actions: list[QueueAction] = []
        free = self._order([a for a in self.agents.values() if self._available(a, now)])
        for caller in self.callers.values():
            if not free:
                break
            if caller.phase is not Phase.WAITING:
                continue
            chosen, free = free[: self.config.parallel], free[self.config.parallel :]
            for agent in chosen:
                agent.offered = caller.call_id
            caller.phase = Phase.RINGING
            caller.ringing = tuple(a.extension for a in chosen)
            caller.ring_until = now + self.config.ring_seconds
            actions.append(Ring(caller.call_id, caller.ringing))
        return actions

    def _stop_offer(self, caller: Caller) -> list[QueueAction]:
        if caller.phase is not Phase.RINGING:
            return []
        for extension in caller.ringing:
            agent = self.agents.get(extension)
            if agent is not None and agent.offered == caller.call_id:
                agent.offered = None
        caller.ringing = ()
        return [Ring(caller.call_id, ())]

    def _withdraw(self, agent: Agent, now: float) -> list[QueueAction]:
        """An agent logged out or paused: the call it rings for is offered elsewhere."""
        call_id, agent.offered = agent.offered, None
        caller = self.callers.get(call_id or "")
        if caller is None or caller.phase is not Phase.RINGING:
            return []
        caller.ringing = tuple(e for e in caller.ringing if e != agent.extension)
        if caller.ringing:
            return [Ring(caller.call_id, caller.ringing)]
        caller.phase = Phase.WAITING
        return [Ring(caller.call_id, ())]

    # -- overflow, announcements, the log ------------------------------------------------

    def _overflow(
        self, caller: Caller, reason: OverflowReason, now: float, *, ring_stop: bool = True
    ) -> list[QueueAction]:
        actions = self._stop_offer(caller) if ring_stop else []
        self.callers.pop(caller.call_id, None)
        return actions + self._overflow_row(caller, reason, now)

    def _overflow_row(
        self, caller: Caller, reason: OverflowReason, now: float
    ) -> list[QueueAction]:
        to = self.config.forward_for(reason)
        log = LogCall(
            caller.call_id,
            caller.caller,
            caller.caller_name,
            "overflow",
            now - caller.since,
            overflow_reason=reason,
            forwarded_to=to,
        )
        return [Overflow(caller.call_id, reason, to), log]

    def _announcement(self, caller: Caller) -> Announce | None:
        config = self.config
        waiting = [c for c in self.callers.values() if c.phase is not Phase.CONNECTED]
        position = waiting.index(caller) + 1 if caller in waiting else None
        minutes = None
        if config.announce_wait and self.answered_waits and position is not None:
            mean = sum(self.answered_waits) / len(self.answered_waits)
            minutes = min(59, max(1, math.ceil(mean * position / 60)))
        if not config.announce_position:
            position = None
        if position is None and minutes is None:
            return None
        return Announce(caller.call_id, position, minutes)

    def _log(self, caller: Caller, now: float, outcome: str, agent: str | None = None) -> LogCall:
        return LogCall(
            caller.call_id, caller.caller, caller.caller_name, outcome, now - caller.since, agent
        )

    # -- looking --------------------------------------------------------------------------

    def next_due(self, now: float) -> float | None:
        """The next time a :class:`Tick` can change something (None: nothing is pending)."""
        times: list[float] = []
        for caller in self.callers.values():
            if caller.phase is Phase.RINGING:
                times.append(caller.ring_until)
            if caller.phase is Phase.CONNECTED:
                continue
            if caller.next_announce is not None:
                times.append(caller.next_announce)
            if self.config.max_wait_seconds is not None and self.config.timeout_forward:
                times.append(caller.since + self.config.max_wait_seconds)
        if any(c.phase is Phase.WAITING for c in self.callers.values()):
            for agent in self.agents.values():  # a wrap-up or a rest ends: an offer can go
                times += [t for t in (agent.wrap_until, agent.rest_until) if t > now]
        return min(times, default=None)

    def live(self, now: float) -> QueueLive:
        waiting = tuple(
            WaitingCaller(c.call_id, c.caller, c.caller_name, c.since, c.ringing)
            for c in self.callers.values()
            if c.phase is not Phase.CONNECTED
        )
        agents = tuple(
            AgentLive(
                a.extension,
                a.status,
                self._available(a, now),
                a.busy or a.serving is not None,
                a.wrap_until if a.wrap_until > now else None,
                a.missed_in_row,
                a.idle_since,
            )
            for a in self.agents.values()
        )
        return QueueLive(self.config.number, waiting, agents)
