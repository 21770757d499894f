"""Call history: reload from ``GET /api/v1/calls`` after a call ends, mark missed calls seen.

"Remove from this list" removes a call from the user's history on the server
(``DELETE /api/v1/calls/{id}``), so it is gone on every computer; the other party keeps it.
Calls an older version hid on this computer only (:class:`app.hidden_calls.HiddenCalls`) are
removed on the server at the first reload.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from app.api import ApiClient
from app.connection import Connection
from app.errors import AppError, ServerRejected
from app.hidden_calls import HiddenCalls
from app.server_events import CallEnded
from app.settings import Settings
from app.stores.history import HistoryEntry, HistoryStore, entry_from_api
from app.tasks import TaskRunner

__all__ = ["HistoryController"]

_log = logging.getLogger(__name__)


class HistoryController:
    """Reloads are coalesced: a request during a reload runs one more reload after it."""

    def __init__(
        self,
        store: HistoryStore,
        connection: Connection,
        settings: Settings,
        runner: TaskRunner,
        hidden_here: HiddenCalls | None = None,
    ) -> None:
        self._store = store
        self._hidden_here = hidden_here
        self._conn = connection
        self._settings = settings
        self._runner = runner
        self._running = False
        self._again = False

    def refresh(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self._runner.spawn(self._reload(), "loading the call history")

    async def _reload(self) -> None:
        try:
            while True:
                self._again = False
                api = self._conn.require_api()
                rows = await api.calls(limit=200)
                gone = await self._move_hidden_here(api)
                seen = self._settings.seen_missed_ids
                entries = []
                for row in rows:
                    try:
                        entry = entry_from_api(row, seen)
                    except (ValueError, KeyError) as exc:
                        _log.warning("skipping a call history row: %s", exc)
                        continue
                    if entry.id not in gone:
                        entries.append(entry)
                self._store.set_entries(entries)
                if not self._again:
                    return
        finally:
            self._running = False

    def mark_seen(self) -> None:
        """The user looked at the history: every missed call listed now counts as seen."""
        missed = {e.id for e in self._store.entries if e.direction == "missed"}
        self._settings.add_seen_missed(missed)
        seen = self._settings.seen_missed_ids
        entries = self._store.entries
        self._store.set_entries([replace(e, seen=e.seen or e.id in seen) for e in entries])

    def hide(self, entry_id: int) -> None:
        """Remove a call from the user's history on the server; it leaves the list at once and
        comes back (with an error notice) if the server cannot be told."""
        entry = next((e for e in self._store.entries if e.id == entry_id), None)
        self._store.set_entries([e for e in self._store.entries if e.id != entry_id])
        self._runner.spawn(self._hide(entry_id, entry), "removing a call from the history")

    async def _hide(self, entry_id: int, entry: HistoryEntry | None) -> None:
        try:
            await self._conn.require_api().hide_call(entry_id)
        except AppError as exc:
            if isinstance(exc, ServerRejected) and exc.status == 404:
                return  # not in this user's history any more
            if entry is not None and all(e.id != entry_id for e in self._store.entries):
                self._store.set_entries([*self._store.entries, entry])
            raise

    async def _move_hidden_here(self, api: ApiClient) -> set[int]:
        """Remove on the server the calls an older version hid on this computer only."""
        here = self._hidden_here
        if here is None or not here.ids:
            return set()
        ids = set(here.ids)
        for call_id in sorted(ids):
            try:
                await api.hide_call(call_id)
            except ServerRejected as exc:
                if exc.status != 404:
                    raise
        here.forget()
        self._hidden_here = None
        return ids

    def on_call_ended(self, _event: CallEnded) -> None:
        self.refresh()
