"""Directory search, debounced while the user types; the full list feeds names for numbers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from app.connection import Connection
from app.errors import ServerUnreachable
from app.server_events import BindingAdded, BindingRemoved, LineStateChanged, PresenceChanged
from app.stores.directory import DirectoryEntry, DirectoryStore
from app.tasks import TaskRunner

__all__ = ["LOAD_RETRY_DELAYS_S", "SEARCH_DEBOUNCE_S", "DirectoryController"]

SEARCH_DEBOUNCE_S = 0.25
LOAD_RETRY_DELAYS_S = (1.0, 2.0, 4.0)  # the full list is tried again while the server wakes
_log = logging.getLogger(__name__)


class DirectoryController:
    def __init__(self, store: DirectoryStore, connection: Connection, runner: TaskRunner) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._pending: asyncio.TimerHandle | None = None

    def search(self, query: str) -> None:
        """Search after a short pause in typing; an empty query clears the results."""
        if self._pending is not None:
            self._pending.cancel()
        if not query.strip():
            self._store.set_results("", [])
            return
        self._pending = self._runner.loop.call_later(
            SEARCH_DEBOUNCE_S,
            lambda: self._runner.spawn(self._search(query), "searching the directory"),
        )

    async def _search(self, query: str) -> None:
        rows = await self._conn.require_api().directory(query)
        self._store.set_results(query, _entries(rows))

    def load_everyone(self) -> None:
        self._runner.spawn(self._load(), "loading the directory")

    async def _load(self) -> None:
        """The whole directory; names of calls and history depend on it, so retry a little."""
        for delay in (*LOAD_RETRY_DELAYS_S, None):
            try:
                rows = await self._conn.require_api().directory("", limit=500)
            except ServerUnreachable:
                if delay is None:
                    raise
                _log.info("directory not loaded yet; trying again in %.0f s", delay)
                await asyncio.sleep(delay)
            else:
                self._store.set_everyone(_entries(rows))
                return

    def on_presence_changed(self, event: PresenceChanged) -> None:
        """Keep the presence of listed users current."""
        self._patch(event.extension, lambda e: replace(e, presence=event.status))

    def on_line_changed(self, event: LineStateChanged) -> None:
        """Keep the line state ("In a call") of listed users current."""
        state = event.state

        def change(e: DirectoryEntry) -> DirectoryEntry:
            if state == "offline":
                return replace(e, line_state=state, registered=False)
            if state in ("ringing", "busy", "in_call"):
                return replace(e, line_state=state, registered=True)
            return replace(e, line_state=state)

        self._patch(event.extension, change)

    def on_binding_added(self, event: BindingAdded) -> None:
        """A phone of this user registered: they can be called."""
        self._patch(
            event.extension,
            lambda e: replace(
                e, registered=True, line_state="idle" if e.line_state == "offline" else e.line_state
            ),
        )

    def on_binding_removed(self, event: BindingRemoved) -> None:
        """A phone left; whether another one remains only the server knows: ask it again."""
        self.load_everyone()
        if self._store.query:
            self._runner.spawn(self._search(self._store.query), "searching the directory")

    def _patch(self, extension: str, change: Callable[[DirectoryEntry], DirectoryEntry]) -> None:
        def patch(entries: list[DirectoryEntry]) -> list[DirectoryEntry]:
            return [
                change(e) if e.kind == "user" and e.extension == extension else e for e in entries
            ]

        self._store.everyone = patch(self._store.everyone)
        self._store.set_results(self._store.query, patch(self._store.results))


def _entries(rows: list[dict[str, object]]) -> list[DirectoryEntry]:
    entries = []
    for row in rows:
        try:
            entries.append(DirectoryEntry.from_api(row))
        except (ValueError, KeyError) as exc:
            _log.warning("skipping a directory row: %s", exc)
    return entries
