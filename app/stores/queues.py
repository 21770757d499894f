"""The user's ACD queues (S6, docs/queues.md): the list, the open queue, its call log.

Filled by :class:`app.controllers.queues.QueuesController` from the API and kept current by the
``queue.*`` events. Pure state: every change is announced once on :attr:`QueuesStore.changed`
with the names of what changed (``queues``, ``detail``, ``calls``, ``busy``, ``problem``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from app.queues.records import CallKind, QueueCall, QueueDetail, QueueSummary, is_status

__all__ = ["CallFilter", "QueuesStore"]


@dataclass(frozen=True, slots=True)
class CallFilter:
    """Which calls of the log are shown: one kind (None: every call) and only the user's."""

    kind: CallKind | None = "missed"
    mine: bool = False

    def query(self, limit: int) -> dict[str, str]:
        """The query of ``GET /api/v1/queues/{number}/calls``."""
        params = {"limit": str(limit)}
        if self.kind is not None:
            params["kind"] = self.kind
        if self.mine:
            params["assigned_to_me"] = "true"
        return params


class QueuesStore(QObject):
    """The queues and the open one; ``changed(set[str])`` with what changed."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._queues: tuple[QueueSummary, ...] = ()
        self.loaded = False
        self.open_number: str | None = None
        self.detail: QueueDetail | None = None
        self.calls: tuple[QueueCall, ...] = ()
        self.calls_loaded = False
        self.call_filter = CallFilter()
        self._busy: set[tuple[str, str]] = set()
        self.problem: str | None = None
        """Why the queues are not current (the server cannot be reached), in plain words."""

    # -- reading --------------------------------------------------------------------------
    @property
    def queues(self) -> tuple[QueueSummary, ...]:
        """The user's queues in the server's order."""
        return self._queues

    def summary(self, number: str) -> QueueSummary | None:
        return next((q for q in self._queues if q.number == number), None)

    @property
    def waiting_total(self) -> int:
        """Callers waiting in all the user's queues (the side bar's badge)."""
        return sum(q.waiting for q in self._queues)

    def busy(self, queue: str, key: str) -> bool:
        """A change of ``key`` (an extension, or ``call:<id>``) in ``queue`` is on its way."""
        return (queue, key) in self._busy

    # -- the list -------------------------------------------------------------------------
    def set_queues(self, queues: Iterable[QueueSummary]) -> None:
        found = tuple(queues)
        names = set()
        if found != self._queues or not self.loaded:
            self._queues, self.loaded = found, True
            names.add("queues")
        if self.open_number is not None and self.summary(self.open_number) is None:
            self.open_number, self.detail, self.calls, self.calls_loaded = None, None, (), False
            names |= {"detail", "calls"}
        if self.problem is not None:
            self.problem = None
            names.add("problem")
        if names:
            self.changed.emit(names)

    def set_problem(self, problem: str | None) -> None:
        if problem != self.problem:
            self.problem = problem
            self.changed.emit({"problem"})

    def set_my_status(self, number: str, status: str) -> None:
        """The server said the user's own status in ``number`` changed (its event)."""
        found = self.summary(number)
        if found is None or found.my_status == status:
            return
        if is_status(status):
            self._queues = tuple(
                replace(q, my_status=status) if q.number == number else q for q in self._queues
            )
            self.changed.emit({"queues"})

    # -- the open queue -------------------------------------------------------------------
    def open(self, number: str | None) -> None:
        """Show queue ``number`` (None: the list)."""
        if number == self.open_number:
            return
        self.open_number = number
        self.detail, self.calls, self.calls_loaded = None, (), False
        self.changed.emit({"detail", "calls"})

    def set_detail(self, detail: QueueDetail) -> None:
        if detail.number != self.open_number:
            return  # an answer for a queue no longer shown
        self.detail = detail
        self.changed.emit({"detail"})

    def set_filter(self, call_filter: CallFilter) -> None:
        if call_filter != self.call_filter:
            self.call_filter = call_filter
            self.changed.emit({"filter"})

    def set_calls(self, number: str, call_filter: CallFilter, calls: Iterable[QueueCall]) -> None:
        if number != self.open_number or call_filter != self.call_filter:
            return  # an answer to an earlier question
        self.calls, self.calls_loaded = tuple(calls), True
        self.changed.emit({"calls"})

    def put_call(self, number: str, call: QueueCall) -> None:
        """One call of the log as the server has it now (after a change)."""
        if number != self.open_number:
            return
        self.calls = tuple(call if c.id == call.id else c for c in self.calls)
        self.changed.emit({"calls"})

    def call(self, ident: int) -> QueueCall | None:
        return next((c for c in self.calls if c.id == ident), None)

    # -- changes on their way -------------------------------------------------------------
    def set_busy(self, queue: str, key: str, busy: bool) -> None:
        if busy == ((queue, key) in self._busy):
            return
        if busy:
            self._busy.add((queue, key))
        else:
            self._busy.discard((queue, key))
        self.changed.emit({"busy"})

    def clear(self) -> None:
        """Signed out: nothing is known any more."""
        self._queues, self.loaded, self.open_number, self.detail = (), False, None, None
        self.calls, self.calls_loaded, self._busy, self.problem = (), False, set(), None
        self.changed.emit({"queues", "detail", "calls", "busy", "problem"})
