"""ACD queues on the desktop (S6, docs/queues.md): the user's queues, one queue's tiles, waiting
callers and agents, its call log, and the changes an agent or a supervisor makes.

Reads ``GET /api/v1/queues``, ``GET /api/v1/queues/{number}`` and its ``/calls``; changes with
``PUT .../agents/{extension}`` and ``PUT .../calls/{id}``. The ``queue.*`` events only mark what
to read again: one read per queue after a short quiet time (:data:`SETTLE_S`), however many
events came, so a busy queue never sets off a storm of requests. Listen, whisper and barge dial
the PBX's codes ``*66*<ext>*`` / ``*67*<ext>*`` / ``*68*<ext>*`` like any number.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Protocol

from app.call_control import SUPERVISOR_CODES
from app.connection import Connection
from app.errors import AppError, ServerUnreachable
from app.notices import Notices
from app.queues.records import AgentStatus, Handling, QueueCall, QueueDetail, QueueSummary
from app.server_events import QueueAgentChanged, QueueChanged, QueueUpdated
from app.stores._base import tr
from app.stores.queues import CallFilter, QueuesStore
from app.tasks import TaskRunner

__all__ = ["CALLS_LIMIT", "SETTLE_S", "QueuesController", "Reloads"]

_log = logging.getLogger(__name__)

_BASE = "/api/v1/queues"
SETTLE_S = 0.4
"""Events within this time after the first are answered by one read."""
CALLS_LIMIT = 200


class Dialer(Protocol):
    """:class:`app.controllers.calls.CallsController`."""

    def dial(self, text: str) -> None: ...
    def supervise(self, action: str, extension: str) -> None: ...


class Reloads:
    """What the events of a quiet period ask to read again (pure): the list, and the queues
    whose detail changed. :meth:`take` empties it."""

    def __init__(self) -> None:
        self.queues: set[str] = set()
        self.list = False

    def mark(self, number: str | None, *, whole_list: bool = True) -> bool:
        """Note a change; True when this is the first since the last :meth:`take`."""
        first = not self.list and not self.queues
        self.list = self.list or whole_list
        if number is not None:
            self.queues.add(number)
        return first

    def take(self) -> tuple[bool, set[str]]:
        out = (self.list, self.queues)
        self.list, self.queues = False, set()
        return out


class QueuesController:
    """Acts on :class:`app.stores.queues.QueuesStore`."""

    def __init__(
        self,
        store: QueuesStore,
        connection: Connection,
        runner: TaskRunner,
        notices: Notices,
        calls: Dialer,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._notices = notices
        self._calls = calls
        self._clock = clock
        self._reloads = Reloads()

    # -- reading --------------------------------------------------------------------------
    def go_online(self) -> None:
        """Signed in or back online: read the queues (and the open one) again."""
        if self._conn.api is not None:
            self.load()

    def load(self) -> None:
        self._runner.spawn(self._load(), "reading the queues")

    async def _load(self) -> None:
        try:
            rows = await self._conn.require_api().request("GET", _BASE)
        except ServerUnreachable:
            self._store.set_problem(
                tr("The phone system cannot be reached; the queues show what was known before.")
            )
            return
        found: list[QueueSummary] = []
        for row in rows if isinstance(rows, list) else ():
            try:
                found.append(QueueSummary.from_api(row))
            except ValueError as exc:
                _log.warning("skipping a queue: %s", exc)
        self._store.set_queues(found)
        number = self._store.open_number
        if number is not None:
            await self._load_queue(number)

    def open(self, number: str | None) -> None:
        """Show one queue (its detail and call log), or the list (None)."""
        self._store.open(number)
        if number is not None:
            self._runner.spawn(self._load_queue(number), "reading the queue")

    async def _load_queue(self, number: str) -> None:
        await asyncio.gather(self._load_detail(number), self._load_calls(number))

    async def _load_detail(self, number: str) -> None:
        try:
            row = await self._conn.require_api().request("GET", f"{_BASE}/{number}")
        except ServerUnreachable:
            self._store.set_problem(
                tr("The phone system cannot be reached; the queue shows what was known before.")
            )
            return
        try:
            self._store.set_detail(QueueDetail.from_api(row, self._clock()))
        except ValueError as exc:
            _log.warning("queue %s: %s", number, exc)

    def set_filter(self, call_filter: CallFilter) -> None:
        """Show other calls of the open queue's log."""
        self._store.set_filter(call_filter)
        number = self._store.open_number
        if number is not None:
            self._runner.spawn(self._load_calls(number), "reading the queue's calls")

    async def _load_calls(self, number: str) -> None:
        wanted = self._store.call_filter
        try:
            rows = await self._conn.require_api().request(
                "GET", f"{_BASE}/{number}/calls", params=wanted.query(CALLS_LIMIT)
            )
        except ServerUnreachable:
            return  # the detail's read says so
        found: list[QueueCall] = []
        for row in rows if isinstance(rows, list) else ():
            try:
                found.append(QueueCall.from_api(row))
            except ValueError as exc:
                _log.warning("skipping a queue call: %s", exc)
        self._store.set_calls(number, wanted, found)

    # -- changing -------------------------------------------------------------------------
    def set_status(self, number: str, extension: str, status: AgentStatus) -> None:
        """Log ``extension`` in, pause them or log them out of queue ``number``."""
        if self._store.busy(number, extension):
            return
        self._store.set_busy(number, extension, True)
        self._runner.spawn(self._set_status(number, extension, status), "changing a queue status")

    async def _set_status(self, number: str, extension: str, status: AgentStatus) -> None:
        try:
            await self._conn.require_api().request(
                "PUT", f"{_BASE}/{number}/agents/{extension}", json={"status": status}
            )
        except AppError as exc:
            summary = self._store.summary(number)
            queue = summary.name if summary is not None else number
            if extension == self._conn.extension:
                text = tr("Your status in {0} could not be changed: {1}")
                self._notices.post("error", text.format(queue, exc))
            else:
                text = tr("The status of {0} in {1} could not be changed: {2}")
                self._notices.post("error", text.format(extension, queue, exc))
        finally:
            self._store.set_busy(number, extension, False)
        await self._load()

    def update_call(
        self, number: str, ident: int, assigned_to: str | None, handling: Handling, note: str
    ) -> None:
        """Assign a call of the log (a supervisor) and set how far it is handled."""
        key = f"call:{ident}"
        if self._store.busy(number, key):
            return
        self._store.set_busy(number, key, True)
        body: dict[str, object] = {"assigned_to": assigned_to, "handling": handling, "note": note}
        self._runner.spawn(self._update_call(number, ident, body), "changing a queue call")

    async def _update_call(self, number: str, ident: int, body: dict[str, object]) -> None:
        try:
            row = await self._conn.require_api().request(
                "PUT", f"{_BASE}/{number}/calls/{ident}", json=body
            )
            self._store.put_call(number, QueueCall.from_api(row))
        except AppError as exc:
            self._notices.post("error", tr("The call could not be changed: {0}").format(exc))
        except ValueError as exc:
            _log.warning("queue call %s: %s", ident, exc)
        finally:
            self._store.set_busy(number, f"call:{ident}", False)
        if self._store.call_filter.mine and number == self._store.open_number:
            await self._load_calls(number)  # assigned to someone else: no longer "mine"

    # -- calls ----------------------------------------------------------------------------
    def call_back(self, ident: int) -> None:
        """Call the caller of a call in the open queue's log."""
        found = self._store.call(ident)
        if found is not None:
            self._calls.dial(found.caller)

    def call_waiting(self, caller: str) -> None:
        self._calls.dial(caller)

    def supervise(self, action: str, extension: str) -> None:
        """Listen to, whisper to or barge in on (``action``: "listen", "whisper", "barge") the
        agent's queue call; the PBX checks that the user supervises the queue."""
        if action in SUPERVISOR_CODES:
            self._calls.supervise(action, extension)

    # -- events ---------------------------------------------------------------------------
    def on_changed(self, event: QueueChanged) -> None:
        self._mark(event.number)

    def on_agent_changed(self, event: QueueAgentChanged) -> None:
        if event.extension == self._conn.extension:
            self._store.set_my_status(event.queue, event.status)
        self._mark(event.queue)

    def on_updated(self, event: QueueUpdated) -> None:
        self._mark(event.number)

    def _mark(self, number: str) -> None:
        if self._reloads.mark(number):
            self._runner.loop.call_later(SETTLE_S, self._flush)

    def _flush(self) -> None:
        whole_list, numbers = self._reloads.take()
        if self._conn.api is None:
            return
        if whole_list:
            self.load()  # reads the open queue too
        elif self._store.open_number in numbers:
            self._runner.spawn(self._load_queue(self._store.open_number or ""), "reading the queue")
