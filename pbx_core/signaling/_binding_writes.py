"""Group commit of the registrar's binding writes (RFC 3261 §10.3: a 200 only once stored).

Each REGISTER's writes used to be a job of their own on the store's worker thread, with a
commit per binding. Here, while one commit runs, the writes of the REGISTERs arriving
meanwhile wait and then go to the worker together, in order, in one transaction; each
REGISTER's callback runs when its writes are committed, or failed. A failed batch is retried
one REGISTER at a time, so one bad write fails only its own REGISTER. Runs on the loop thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from functools import partial

from pbx_core.store import Store
from pbx_core.store._binding_sql import BindingWrite

__all__ = ["BindingWriter", "Failure", "WhenStored"]

_log = logging.getLogger(__name__)

Failure = BaseException | str | None
"""Why writes were not stored (None: they were)."""

WhenStored = Callable[[Failure], None]


class BindingWriter:
    """Queues binding writes and commits what has gathered in one store job at a time."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: list[tuple[Sequence[BindingWrite], WhenStored]] = []
        self._busy = False

    def submit(self, writes: Sequence[BindingWrite], when_stored: WhenStored) -> None:
        """Queue ``writes``; ``when_stored`` is called on the loop once they are committed."""
        self._pending.append((writes, when_stored))
        self._next()

    def soon(self, writes: Sequence[BindingWrite]) -> None:
        """Queue ``writes`` nobody waits for (expiry, clean-up); a failure is logged."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no loop yet (loading): straight to the worker
            self._store.aio.soon("bindings", self._store.write_bindings, writes)
            return
        self.submit(writes, _log_failure)

    def _next(self) -> None:
        if self._busy or not self._pending:
            return
        batch, self._pending = self._pending, []
        self._busy = True
        writes = [w for ws, _ in batch for w in ws]
        job = self._store.aio.submit(self._store.write_bindings, writes)
        job.add_done_callback(partial(self._committed, batch))

    def _committed(
        self, batch: list[tuple[Sequence[BindingWrite], WhenStored]], job: asyncio.Future[None]
    ) -> None:
        self._busy = False
        failure = _failure(job)
        if failure is None or job.cancelled() or len(batch) == 1:
            for _, when_stored in batch:
                when_stored(failure)
        else:  # one at a time, ahead of anything queued since
            for writes, when_stored in batch:
                single = self._store.aio.submit(self._store.write_bindings, writes)
                single.add_done_callback(partial(_report, when_stored))
        self._next()


def _report(when_stored: WhenStored, job: asyncio.Future[None]) -> None:
    when_stored(_failure(job))


def _failure(job: asyncio.Future[None]) -> Failure:
    return "the store closed" if job.cancelled() else job.exception()


def _log_failure(failure: Failure) -> None:
    if failure is not None:
        _log.error("could not store bindings: %s", failure)
