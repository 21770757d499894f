"""Presence: set the status with an end time (persisted on the server), learn the usual ends."""

from __future__ import annotations

import datetime as dt

from app.connection import Connection
from app.presence_status import PresenceStatus, is_status
from app.server_events import PresenceChanged, parse_until
from app.settings import Settings
from app.stores.presence import PresenceStore, minutes_of
from app.tasks import TaskRunner

__all__ = ["PresenceController"]


class PresenceController:
    def __init__(
        self, store: PresenceStore, connection: Connection, settings: Settings, runner: TaskRunner
    ) -> None:
        self._store = store
        self._conn = connection
        self._settings = settings
        self._runner = runner
        store.set_uses(settings.presence_uses)

    def set_status(self, status: PresenceStatus, until: dt.datetime | None) -> None:
        """Set the status until ``until`` (aware datetime; None: until changed)."""
        if not is_status(status):
            raise ValueError(f"unknown presence status: {status!r}")
        if until is not None and until.tzinfo is None:
            raise ValueError("until must carry a time zone")
        self._runner.spawn(self._set(status, until), "changing your status")

    async def _set(self, status: PresenceStatus, until: dt.datetime | None) -> None:
        body = await self._conn.require_api().set_presence(status, until)
        self.apply(body)
        if until is not None and status != "available":
            length = until - dt.datetime.now(dt.UTC)
            self._settings.add_presence_use(status, minutes_of(length))
            self._store.set_uses(self._settings.presence_uses)

    def apply(self, body: dict[str, object]) -> None:
        """Take a presence object of the API (``status``, ``until``)."""
        status = body.get("status", "available")
        if is_status(status):
            self._store.set_presence(status, parse_until(body.get("until")))

    def on_presence_changed(self, event: PresenceChanged) -> None:
        """Our own status changed (here, elsewhere, or its end time passed)."""
        if self._conn.extension is not None and event.extension == self._conn.extension:
            self._store.set_presence(event.status, event.until)
