"""The user's registered phones: loaded at sign-in, and again when one of them registers or
leaves (the server's ``binding.added`` / ``binding.removed`` events for the user's extension).

A server without the devices endpoint (404) simply offers no phones to move a call to: the
reason is logged and Move offers the mobile number only.
"""

from __future__ import annotations

import logging

from app.connection import Connection
from app.devices import Device
from app.errors import ServerRejected
from app.server_events import BindingAdded, BindingRemoved
from app.stores.devices import DevicesStore
from app.tasks import TaskRunner

__all__ = ["DevicesController", "parse_devices"]

_log = logging.getLogger(__name__)


class DevicesController:
    def __init__(self, store: DevicesStore, connection: Connection, runner: TaskRunner) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner

    def load(self) -> None:
        self._runner.spawn(self._load(), "loading your phones")

    async def _load(self) -> None:
        try:
            rows = await self._conn.require_api().devices()
        except ServerRejected as exc:
            if exc.status != 404:
                raise
            _log.info("the server lists no devices (404): %s", exc)
            self._store.set_devices([])
            return
        self._store.set_devices(parse_devices(rows))

    def on_binding(self, event: BindingAdded | BindingRemoved) -> None:
        """One of the user's own phones registered or left: ask the server again."""
        if event.extension == self._conn.extension:
            self.load()


def parse_devices(rows: list[dict[str, object]]) -> list[Device]:
    """The rows that parse; a bad one is logged and skipped."""
    devices = []
    for row in rows:
        try:
            devices.append(Device.from_api(row))
        except ValueError as exc:
            _log.warning("skipping a device: %s", exc)
    return devices
