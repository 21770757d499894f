"""Directory search from the local copy, kept in step with the server's changes feed.

A keystroke is answered from :class:`app.directory_index.LocalDirectory` at once (no debounce);
the server is asked only while there is no local copy yet (before the first sync, or a PBX
without the changes feed), after a short pause in typing. The copy is synchronised at sign-in
(every entry), then by version: on a ``directory.changed`` event, on reconnect and when the
search box gets focus, only what changed is fetched. Caller names come from the same copy.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import replace

from app.connection import Connection
from app.directory_index import LocalDirectory, SyncPage
from app.directory_sync import PAGE_SIZE, ServerRestarted, fetch_page, following_pages
from app.errors import ServerRejected, ServerUnreachable
from app.memory import release_free_memory
from app.server_events import (
    BindingAdded,
    BindingRemoved,
    LineStateChanged,
    PresenceChanged,
    PresenceUpdated,
    parse_event,
)
from app.stores.directory import DirectoryEntry, DirectoryStore
from app.tasks import TaskRunner

__all__ = ["LOAD_RETRY_DELAYS_S", "SEARCH_DEBOUNCE_S", "DirectoryController"]

SEARCH_DEBOUNCE_S = 0.25  # only in front of the server, while there is no local copy
LOAD_RETRY_DELAYS_S = (1.0, 2.0, 4.0)  # the directory is tried again while the server wakes
FALLBACK_LIMIT = 500  # a PBX without the changes feed: the first entries of the search
_log = logging.getLogger(__name__)


class DirectoryController:
    def __init__(self, store: DirectoryStore, connection: Connection, runner: TaskRunner) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._pending: asyncio.TimerHandle | None = None
        self._typed = ""
        self._syncing = False
        self._again = False

    def search(self, query: str) -> None:
        """Results for ``query`` now from the local copy; an empty query clears them.

        The first character of a search also asks the server, in the background, what changed
        since the local version (a missed event, a sleeping laptop)."""
        starting = not self._typed.strip()
        self._typed = query
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if not query.strip():
            self._store.set_results("", [])
            return
        index = self._store.index
        if index.synced:
            self._store.set_results(query, index.search(query))
            if starting:
                self.refresh()
            return
        self._pending = self._runner.loop.call_later(
            SEARCH_DEBOUNCE_S,
            lambda: self._runner.spawn(self._search(query), "searching the directory"),
        )

    async def _search(self, query: str) -> None:
        rows = await self._conn.require_api().directory(query)
        if query == self._typed or not self._typed:
            self._store.set_results(query, _entries(rows))

    def load_everyone(self) -> None:
        """Sign-in or reconnect: bring the local copy up to the server's version."""
        self._runner.spawn(self._load(), "loading the directory")

    def refresh(self) -> None:
        """Fetch what changed since the local copy's version (nothing to do when none did)."""
        if self._store.index.synced:
            self._runner.spawn(self._sync(), "updating the directory")

    def on_directory_changed(self, epoch: str, version: int) -> None:
        """The server has a new version of the directory: fetch the changes."""
        index = self._store.index
        if index.epoch != epoch or index.version != version:
            self._runner.spawn(self._sync(), "updating the directory")

    async def _load(self) -> None:
        """The directory; names of calls and history depend on it, so retry a little."""
        for delay in (*LOAD_RETRY_DELAYS_S, None):
            try:
                await self._sync()
            except ServerUnreachable:
                if delay is None:
                    raise
                _log.info("directory not loaded yet; trying again in %.0f s", delay)
                await asyncio.sleep(delay)
            else:
                await self._refresh_presence()
                return

    async def _refresh_presence(self) -> None:
        """Every colleague's presence as it is now. A presence change does not change the
        directory's version, so after an absence too long to replay (``resync``) the local copy
        would keep the states from before it."""
        try:
            rows = await self._conn.require_api().request("GET", "/api/v1/presence")
        except ServerRejected as exc:
            if exc.status != 404:
                raise
            _log.info("the server has no presence list (an older server): %s", exc)
            return
        for row in rows if isinstance(rows, list) else []:
            try:
                event = parse_event({"type": "presence.updated", "data": row})
            except ValueError as exc:
                _log.warning("skipping a colleague's presence: %s", exc)
                continue
            if isinstance(event, PresenceUpdated):
                self.on_presence_updated(event)

    async def _sync(self) -> None:
        """One sync at a time; a request during it runs one more afterwards."""
        if self._syncing:
            self._again = True
            return
        self._syncing = True
        try:
            while True:
                self._again = False
                await self._sync_once()
                if not self._again:
                    return
        finally:
            self._syncing = False

    async def _sync_once(self) -> None:
        """Fetch the changes page by page; a full answer is built aside and swapped in at the
        end, so typing is answered from the previous copy meanwhile and no page blocks long."""
        api = self._conn.require_api()
        index = self._store.index
        since, epoch = index.version, index.epoch
        first = await fetch_page(api, since, epoch, limit=PAGE_SIZE)
        if first is None:
            rows = await api.directory("", limit=FALLBACK_LIMIT)
            self._store.set_everyone(_entries(rows))
            return
        target = LocalDirectory() if first.full else index
        changed = target.apply(replace(first, full=False, next=None))
        try:
            async for page in following_pages(api, first, since, epoch, page_size=PAGE_SIZE):
                changed |= target.apply(
                    SyncPage(first.epoch, first.version, False, page.entries, ())
                )
        except ServerRestarted as exc:
            _log.info("%s; asking again", exc)
            self._again = True
            return
        target.prepare()
        if first.full:
            self._store.index = target
            changed = True
            # the copy lives as long as the session: keep the collector from walking its
            # entries again on every collection (a pause a keystroke would feel)
            release_free_memory()  # collects, and gives the sync's freed pages back
            gc.freeze()
        if changed:
            self._store.copy_changed()
            if self._typed.strip():
                self._store.set_results(self._typed, target.search(self._typed))

    def on_presence_changed(self, event: PresenceChanged) -> None:
        """Keep the presence of listed users current."""
        self._patch(event.extension, lambda e: replace(e, presence=event.status))

    def on_presence_updated(self, event: PresenceUpdated) -> None:
        """The whole presence view of a colleague: status with its end, note, role, line,
        where their calls are forwarded."""
        line = event.line if event.registered else "offline"

        def change(e: DirectoryEntry) -> DirectoryEntry:
            return replace(
                e,
                presence=event.status,
                until=event.until,
                note=event.note,
                role=event.role,
                line_state=line,
                registered=event.registered,
                forwarding=event.forwarding,
            )

        self._patch(event.extension, change)

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
        if self._store.index.synced:
            self._runner.spawn(self._reload_user(event.extension), "updating a colleague")
            return
        self.load_everyone()
        if self._store.query:
            self._runner.spawn(self._search(self._store.query), "searching the directory")

    async def _reload_user(self, extension: str) -> None:
        rows = await self._conn.require_api().directory(extension)
        fresh = next(
            (e for e in _entries(rows) if e.kind == "user" and e.extension == extension), None
        )
        if fresh is not None:
            self._patch(extension, lambda e: replace(
                e, registered=fresh.registered, line_state=fresh.line_state,
                presence=fresh.presence,
            ))  # fmt: skip

    def _patch(self, extension: str, change: Callable[[DirectoryEntry], DirectoryEntry]) -> None:
        def patch(entries: list[DirectoryEntry]) -> list[DirectoryEntry]:
            return [
                change(e) if e.kind == "user" and e.extension == extension else e for e in entries
            ]

        index = self._store.index
        user = index.user(extension)
        if user is not None:
            index.put(change(user))
        self._store.set_results(self._store.query, patch(self._store.results))


def _entries(rows: list[dict[str, object]]) -> list[DirectoryEntry]:
    entries = []
    for row in rows:
        try:
            entries.append(DirectoryEntry.from_api(row))
        except (ValueError, KeyError) as exc:
            _log.warning("skipping a directory row: %s", exc)
    return entries
