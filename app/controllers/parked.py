"""The parked calls: loaded at sign-in, kept by the server's events, taken by dialling the slot.

A server without the parked endpoint (404) simply has no parked calls: the list stays empty
and the reason is logged, nothing is shown to the user.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from app.connection import Connection
from app.errors import ServerRejected
from app.server_events import CallParked, CallUnparked
from app.stores.parked import ParkedCall, ParkedStore
from app.tasks import TaskRunner

__all__ = ["ParkedController"]

_log = logging.getLogger(__name__)


class ParkedController:
    def __init__(
        self,
        store: ParkedStore,
        connection: Connection,
        runner: TaskRunner,
        name_for: Callable[[str], str | None] = lambda _n: None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._name_for = name_for
        self._now = now

    def load(self) -> None:
        self._runner.spawn(self._load(), "loading the parked calls")

    async def _load(self) -> None:
        try:
            rows = await self._conn.require_api().parked()
        except ServerRejected as exc:
            if exc.status != 404:
                raise
            _log.info("the server lists no parked calls (404): %s", exc)
            self._store.set_calls([])
            return
        self._store.set_calls(parked_calls(rows))

    def on_parked(self, event: CallParked) -> None:
        self._store.put(
            ParkedCall(
                event.slot,
                event.call_id,
                event.caller,
                self._name_for(event.caller),
                event.parked_by,
                self._name_for(event.parked_by),
                self._now(),
            )
        )

    def on_unparked(self, event: CallUnparked) -> None:
        self._store.remove(event.slot, event.call_id)


def parked_calls(rows: list[dict[str, object]]) -> list[ParkedCall]:
    """The rows that parse; a bad one is logged and skipped."""
    calls = []
    for row in rows:
        try:
            calls.append(ParkedCall.from_api(row))
        except ValueError as exc:
            _log.warning("skipping a parked call: %s", exc)
    return calls
