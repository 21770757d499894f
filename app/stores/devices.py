"""The user's registered phones (desk phone, softphones), for "Move" in a call window.

Filled from ``GET /api/v1/me/devices`` at sign-in and again whenever one of the user's phones
registers or leaves (:class:`app.controllers.devices.DevicesController`).
"""

from __future__ import annotations

from app.bus import ChangeHub
from app.devices import Device
from app.stores._base import Store

__all__ = ["DevicesStore"]


class DevicesStore(Store):
    """Publishes ``Changes("devices", {"devices"})``; ``devices`` newest first."""

    name = "devices"

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.devices: list[Device] = []

    def set_devices(self, devices: list[Device]) -> None:
        if devices != self.devices:
            self.devices = list(devices)
            self._publish({"devices"})
