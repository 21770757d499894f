"""USB headset call control (seed 000 "Audio / Headset gespreksbeheer"): what Settings shows.

The devices found, the user's choice (a device or automatic), whether call control is on, the
device in use, and the last button pressed for the live "press a button to test" indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.bus import ChangeHub, HeadsetChange
from app.stores._base import Store, tr

__all__ = ["AUTOMATIC", "ButtonPress", "HeadsetChange", "HeadsetDevice", "HeadsetStore"]


AUTOMATIC = "automatic"
"""The selection that uses the first headset found (same value as ``headset.AUTOMATIC``)."""


@dataclass(frozen=True, slots=True)
class HeadsetDevice:
    """A headset with call control; ``device_id`` stays the same across re-plugs."""

    device_id: str
    name: str
    vendor_id: int
    product_id: int


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """One changed button value; ``count`` grows with every press so equal presses show too."""

    name: str
    role: str
    value: int
    count: int


class HeadsetStore(Store):
    """Change names on the hub: ``"devices"``, ``"selection"``, ``"enabled"``, ``"current"``,
    ``"press"``."""

    name = "headset"

    def _changed(self, what: HeadsetChange, initiator: object | None = None) -> None:
        self._publish((what,), initiator)

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.devices: list[HeadsetDevice] = []
        self.selected = AUTOMATIC
        self.enabled = True
        self.current: HeadsetDevice | None = None
        self.last_press: ButtonPress | None = None

    @property
    def warning(self) -> str:
        """Other apps that use the headset buttons fight over its hook state and LEDs."""
        return tr(
            "Other applications that also use the headset buttons (for example Microsoft "
            "Teams) can conflict with call control here. Turn off the headset buttons in those "
            "applications; in Teams: Settings → Devices → switch off “Sync device buttons”."
        )

    @property
    def status(self) -> str:
        """One line for Settings: off, none found, or the headset in use."""
        if not self.enabled:
            return tr("Headset call control is off.")
        if self.current is not None:
            return tr("In use: {0}").format(self.current.name)
        if not self.devices:
            return tr("No headset with call control found")
        return tr("The chosen headset is not connected.")

    def set_devices(self, devices: list[HeadsetDevice]) -> None:
        if devices != self.devices:
            self.devices = list(devices)
            self._changed("devices")

    def set_selected(self, device_id: str) -> None:
        if device_id != self.selected:
            self.selected = device_id
            self._changed("selection")

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self._changed("enabled")

    def set_current(self, device: HeadsetDevice | None) -> None:
        if device != self.current:
            self.current = device
            self._changed("current")

    def add_press(self, name: str, role: str, value: int) -> None:
        count = self.last_press.count + 1 if self.last_press is not None else 1
        self.last_press = ButtonPress(name, role, value, count)
        self._changed("press")
