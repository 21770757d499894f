"""The PBX's queues (P9, S6): their settings, their agents' login states, the queue call log and
the statistics tiles.

Queues and agent states are read once at start (:meth:`QueueService.load`) and then answered
from memory, so the call engine never waits on SQL; every change is written through the store's
worker thread (``store.aio``). A change of a queue is told to :meth:`QueueService.on_change`
listeners and, as :class:`~pbx_core.acd.events.QueueChanged`, to the queue's users on the bus;
an agent's login, pause or logout as :class:`~pbx_core.acd.events.QueueAgentChanged`.

The call engine plugs in through :attr:`QueueService.live` (what waits and which agents are free
now), :meth:`QueueService.log_call` (a call leaving the queue) and
:meth:`QueueService.publish_updated` (``queue.updated``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from pbx_core.acd import repository
from pbx_core.acd.analytics import Period, QueueAnalytics, analyse, period_range
from pbx_core.acd.calls import HANDLINGS, MAX_NOTE, CallKind, Handling, NewQueueCall, QueueCall
from pbx_core.acd.events import QueueAgentChanged, QueueChanged, QueueUpdated
from pbx_core.acd.model import (
    AGENT_STATUSES,
    AgentState,
    AgentStatus,
    QueueConfig,
    QueueLive,
    config_from_dict,
    config_to_dict,
)
from pbx_core.acd.stats import QueueStats, queue_stats, window_start
from pbx_core.acd.validation import queue_problem
from pbx_core.bus import EventBus
from pbx_core.permissions import Permission, allowed, member_of
from pbx_core.store import Store

__all__ = ["MAX_CALLS", "QueueService"]

_log = logging.getLogger(__name__)
MAX_CALLS = 1000
"""The most queue calls one read of the call log returns."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class QueueService:
    """Every queue of the PBX, its agents and its call log."""

    def __init__(
        self, store: Store, bus: EventBus, *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._store = store
        self._bus = bus
        self._clock = clock
        self._queues: dict[str, QueueConfig] = {}
        self._positions: dict[str, int] = {}
        self._agents: dict[tuple[str, str], AgentState] = {}
        self._listeners: list[Callable[[str], None]] = []
        self._agent_listeners: list[Callable[[AgentState], None]] = []
        self._number_checks: list[Callable[[str], str | None]] = []
        self._published: dict[str, QueueLive | None] = {}  # what queue.updated last told
        self.live: Callable[[str], QueueLive] | None = None
        """Set by the queue engine: queue number → its waiting callers and agents now. None
        (no engine): nobody waits and the stored agent states tell who is available."""
        self.live_clock: Callable[[], float] = time.monotonic
        """The clock of :attr:`WaitingCaller.waiting_since` in :attr:`live` (the engine may
        set its own)."""

    # -- start ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the queues and agent states (on the store's worker thread, at start)."""
        stored, agents = repository.load(self._store)
        queues: dict[str, QueueConfig] = {}
        positions: dict[str, int] = {}
        for row in stored:
            try:
                config = config_from_dict(json.loads(row.body))
            except ValueError:  # written by this code: only a hand-edited row gets here
                _log.exception("queue %s is unreadable in the store and is left out", row.number)
                continue
            queues[config.number], positions[config.number] = config, row.position
        self._queues, self._positions = queues, positions
        self._agents = {
            (a.queue, a.extension): a
            for a in agents
            if a.queue in queues and queues[a.queue].member(a.extension) is not None
        }
        _log.info("queues loaded: %d, agents logged in: %d", len(queues), self._logged_in())

    def _logged_in(self) -> int:
        return sum(1 for a in self._agents.values() if a.status != "logged_out")

    def seed(
        self, raw: Sequence[Mapping[str, object]], logins: Sequence[tuple[str, str]] = ()
    ) -> None:
        """Create the queues ``raw`` (config_to_dict form) and log in the agents ``logins``
        ((queue, extension)) when no queue is stored yet: the demo organisation, at start on the
        store's worker thread (nothing is published)."""
        if self._queues:
            return
        now = self._clock()
        users = self._users()
        for position, body in enumerate(raw):
            config = config_from_dict(dict(body))
            problem = queue_problem(config, users, self._queues.values())
            if problem is not None:
                raise ValueError(f"demo queue {config.number}: {problem}")
            text = json.dumps(config_to_dict(config))
            repository.save_queue(self._store, config.number, text, position, now)
            self._queues[config.number], self._positions[config.number] = config, position
        for number, extension in logins:
            state = AgentState(number, extension, "logged_in", "demo")
            repository.save_agent(self._store, state, now)
            self._agents[(number, extension)] = state

    # -- reading --------------------------------------------------------------------------

    def queues(self) -> tuple[QueueConfig, ...]:
        """Every queue, in the order they were created."""
        return tuple(sorted(self._queues.values(), key=lambda q: self._positions[q.number]))

    def queue(self, number: str) -> QueueConfig | None:
        return self._queues.get(number)

    def by_code(self, code: str) -> QueueConfig | None:
        """The queue whose feature code (``*11*<code>*``) is ``code``."""
        return next((q for q in self._queues.values() if q.feature_code == code), None)

    def agents(self, number: str) -> dict[str, AgentState]:
        """Every member of queue ``number`` (in the order of its members) with their state;
        ``logged_out`` for one who never logged in. Empty for no such queue."""
        config = self._queues.get(number)
        if config is None:
            return {}
        return {
            m.extension: self._agents.get((number, m.extension), AgentState(number, m.extension))
            for m in config.members
        }

    def readers(self, number: str) -> tuple[str, ...]:
        """Who is told of the queue's changes: its members, its supervisors, the admins."""
        config = self._queues.get(number)
        return self._readers(config) if config is not None else ()

    def _readers(self, *configs: QueueConfig) -> tuple[str, ...]:
        admins = [
            u.extension
            for u in self._store.users()
            if allowed(member_of(u), Permission.MANAGE_QUEUES)
        ]
        people = {e for c in configs for e in (*(m.extension for m in c.members), *c.supervisors)}
        return tuple(sorted(people.union(admins)))

    def _users(self) -> frozenset[str]:
        return frozenset(u.extension for u in self._store.users())

    # -- changing queues (administrators) ---------------------------------------------------

    def on_change(self, listener: Callable[[str], None]) -> None:
        """``listener(number)`` after queue ``number`` was created, changed or removed."""
        self._listeners.append(listener)

    def on_agent_change(self, listener: Callable[[AgentState], None]) -> None:
        """``listener(state)`` after an agent's status changed (the API, a code, the engine)."""
        self._agent_listeners.append(listener)

    def check_numbers_with(self, check: Callable[[str], str | None]) -> None:
        """``check(number)``: why another part of the PBX keeps ``number`` for itself (a group
        inbox), or None; a queue may not take such a number."""
        self._number_checks.append(check)

    async def put(self, config: QueueConfig) -> QueueConfig:
        """Create the queue or replace its settings. ValueError in plain words (nothing saved)
        when its number is taken, a member or supervisor is no user, or its code is another
        queue's. Members no longer listed are logged out (reason "removed")."""
        number = config.number
        problem = queue_problem(config, self._users(), self._queues.values())
        for check in self._number_checks:
            problem = problem or check(number)
        if problem is not None:
            raise ValueError(problem)
        old = self._queues.get(number)
        position = self._positions.get(number, max(self._positions.values(), default=-1) + 1)
        body = json.dumps(config_to_dict(config))
        await self._store.aio.call(
            repository.save_queue, self._store, number, body, position, self._clock()
        )
        if old is not None:  # told while still a member: the event reaches them too
            for member in old.members:
                if config.member(member.extension) is None:
                    self._set(AgentState(number, member.extension, "logged_out", "removed"))
                    self._agents.pop((number, member.extension), None)
        self._queues[number], self._positions[number] = config, position
        _log.info("queue %s %s: %s", number, "changed" if old else "created", config.name)
        readers = self._readers(config, *(old,) if old is not None else ())
        self._changed(QueueChanged(number, removed=False, readers=readers))
        return config

    async def delete(self, number: str) -> bool:
        """Remove queue ``number`` and its agents' states (its call log stays); False: none."""
        old = self._queues.get(number)
        if old is None:
            return False
        await self._store.aio.call(repository.delete_queue, self._store, number)
        del self._queues[number], self._positions[number]
        self._agents = {k: v for k, v in self._agents.items() if k[0] != number}
        _log.info("queue %s removed", number)
        self._changed(QueueChanged(number, removed=True, readers=self._readers(old)))
        return True

    def _changed(self, event: QueueChanged) -> None:
        self._bus.publish(event)
        for listener in list(self._listeners):
            try:
                listener(event.number)
            except Exception:
                _log.exception("a listener of queue %s failed", event.number)

    # -- agents ---------------------------------------------------------------------------

    def set_agent_status(
        self, number: str, extension: str, status: AgentStatus, reason: str
    ) -> AgentState:
        """Log ``extension`` in to queue ``number``, pause them or log them out (on the loop);
        written to the store soon. ValueError when there is no such queue, the status is none
        of ``logged_out``/``logged_in``/``paused``, or ``extension`` is not a member."""
        config = self._queues.get(number)
        if config is None:
            raise ValueError(f"there is no queue {number}")
        if status not in AGENT_STATUSES:
            raise ValueError("status must be logged_out, logged_in or paused")
        if config.member(extension) is None:
            raise ValueError(f"{extension} is not a member of queue {number}")
        return self._set(AgentState(number, extension, status, reason[:32]))

    def _set(self, state: AgentState) -> AgentState:
        key = (state.queue, state.extension)
        old = self._agents.get(key, AgentState(state.queue, state.extension))
        if old.status == state.status:
            return old
        self._agents[key] = state
        self._store.aio.soon(
            "a queue agent's state", repository.save_agent, self._store, state, self._clock()
        )
        _log.info(
            "queue %s: agent %s %s (%s)", state.queue, state.extension, state.status, state.reason
        )
        self._bus.publish(
            QueueAgentChanged(
                state.queue, state.extension, state.status, state.reason,
                readers=self.readers(state.queue),
            )
        )  # fmt: skip
        for listener in list(self._agent_listeners):
            try:
                listener(state)
            except Exception:
                _log.exception("a listener of queue %s's agents failed", state.queue)
        return state

    # -- the engine's side ----------------------------------------------------------------

    def live_of(self, number: str) -> QueueLive | None:
        """Queue ``number`` now as the engine sees it; None without an engine."""
        return self.live(number) if self.live is not None else None

    def publish_updated(self, number: str) -> None:
        """Tell the queue's users that its waiting callers or free agents changed (the engine
        calls it after each of its steps: told only when :attr:`live` shows a change)."""
        now = self.live_of(number)
        if now is not None and self._published.get(number) == now:
            return
        self._published[number] = now
        self._bus.publish(QueueUpdated(number, readers=self.readers(number)))

    def log_call(self, call: NewQueueCall) -> None:
        """Append a call that left queue ``call.queue`` to the call log (written soon)."""
        self._store.aio.soon("a queue call", repository.add_call, self._store, call)

    # -- the call log and the statistics --------------------------------------------------

    async def calls(
        self,
        number: str,
        *,
        kind: CallKind | None = None,
        assigned_to: str | None = None,
        limit: int = 100,
    ) -> list[QueueCall]:
        """The newest calls of the queue first, of ``kind`` (missed, answered, forwarded),
        assigned to ``assigned_to``; at most ``limit`` (1 to :data:`MAX_CALLS`)."""
        if not 1 <= limit <= MAX_CALLS:
            raise ValueError(f"limit must be from 1 to {MAX_CALLS}")
        return await self._store.aio.call(
            repository.list_calls, self._store, number, kind, assigned_to, limit
        )

    async def call(self, number: str, call_id: int) -> QueueCall | None:
        return await self._store.aio.call(repository.find_call, self._store, number, call_id)

    async def update_call(
        self,
        number: str,
        call_id: int,
        *,
        assigned_to: str | None,
        handling: Handling,
        note: str,
    ) -> QueueCall | None:
        """Assign a logged call to a member and set its handling and note; None: queue
        ``number`` has no call ``call_id``. ValueError for one who is not a member, an unknown
        handling or a note too long."""
        config = self._queues.get(number)
        if config is None:
            return None
        if assigned_to is not None and config.member(assigned_to) is None:
            raise ValueError(f"{assigned_to} is not a member of queue {number}")
        if handling not in HANDLINGS:
            raise ValueError("handling must be unhandled, in_progress or handled")
        if len(note) > MAX_NOTE:
            raise ValueError(f"the note must be at most {MAX_NOTE} characters")
        return await self._store.aio.call(
            repository.update_call, self._store, number, call_id, assigned_to, handling, note
        )

    async def analytics(self, number: str, period: Period, now: datetime) -> QueueAnalytics:
        """Queue ``number``'s figures over ``period`` around ``now`` (aware, the
        organisation's time): calls, answers, waits, service level, per agent (S7)."""
        start, _ = period_range(period, now)
        calls = await self._store.aio.call(repository.recent_calls, self._store, number, start)
        return analyse(period, now, calls)

    async def stats(self, number: str, now: datetime | None = None) -> QueueStats:
        """Queue ``number``'s tiles at ``now`` (aware; its midnight starts "today")."""
        at = now or self._clock()
        calls = await self._store.aio.call(
            repository.recent_calls, self._store, number, window_start(at)
        )
        return queue_stats(at, calls, self.agents(number), self.live_of(number), self.live_clock())
