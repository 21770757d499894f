"""Presence: set the status with an end time (persisted on the server), learn the usual ends."""

from __future__ import annotations

import datetime as dt

from app.connection import Connection
from app.settings import Settings
from app.stores.presence import STATUSES, PresenceStore, minutes_of
from app.tasks import TaskRunner

__all__ = ["PresenceController", "parse_until"]


def parse_until(value: object) -> dt.datetime | None:
    """The API's ``until`` (ISO-8601 with zone, or null) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


class PresenceController:
    def __init__(
        self, store: PresenceStore, connection: Connection, settings: Settings, runner: TaskRunner
    ) -> None:
        self._store = store
        self._conn = connection
        self._settings = settings
        self._runner = runner
        store.set_uses(settings.presence_uses)

    def set_status(self, status: str, until: dt.datetime | None) -> None:
        """Set the status until ``until`` (aware datetime; None: until changed)."""
        if status not in STATUSES:
            raise ValueError(f"unknown presence status: {status!r}")
        if until is not None and until.tzinfo is None:
            raise ValueError("until must carry a time zone")
        self._runner.spawn(self._set(status, until), "changing your status")

    async def _set(self, status: str, until: dt.datetime | None) -> None:
        body = await self._conn.require_api().set_presence(status, until)
        self.apply(body)
        if until is not None and status != "available":
            length = until - dt.datetime.now(dt.UTC)
            self._settings.add_presence_use(status, minutes_of(length))
            self._store.set_uses(self._settings.presence_uses)

    def apply(self, body: dict[str, object]) -> None:
        """Take a presence object of the API (``status``, ``until``)."""
        status = str(body.get("status", "available"))
        if status in STATUSES:
            self._store.set_presence(status, parse_until(body.get("until")))

    def on_server_event(self, event: dict[str, object]) -> None:
        data = event.get("data")
        if event.get("type") != "presence.changed" or not isinstance(data, dict):
            return
        if self._conn.extension is not None and data.get("extension") == self._conn.extension:
            self.apply(data)
