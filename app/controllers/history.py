"""Call history: reload from ``GET /api/v1/calls`` after a call ends, mark missed calls seen.

"Remove from this list" hides a call on this computer only (:class:`app.hidden_calls.HiddenCalls`):
the API has no delete yet.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from app.connection import Connection
from app.hidden_calls import HiddenCalls
from app.server_events import CallEnded
from app.settings import Settings
from app.stores.history import HistoryStore, entry_from_api
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
        hidden: HiddenCalls | None = None,
    ) -> None:
        self._store = store
        self._hidden = hidden or HiddenCalls()
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
                rows = await self._conn.require_api().calls(limit=200)
                seen = self._settings.seen_missed_ids
                entries = []
                for row in rows:
                    try:
                        entry = entry_from_api(row, seen)
                    except (ValueError, KeyError) as exc:
                        _log.warning("skipping a call history row: %s", exc)
                        continue
                    if entry.id not in self._hidden.ids:
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
        """Remove a call from the list on this computer (the PBX keeps its record)."""
        self._hidden.hide({entry_id})
        self._store.set_entries([e for e in self._store.entries if e.id != entry_id])

    def on_call_ended(self, _event: CallEnded) -> None:
        self.refresh()
