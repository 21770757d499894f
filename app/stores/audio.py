"""Sound devices: whether audio works here, the devices, the choices, the test mic level."""

from __future__ import annotations

from dataclasses import dataclass

from app.bus import AudioChange, ChangeHub
from app.stores._base import Store

__all__ = ["AudioChange", "AudioDevice", "AudioStore"]


@dataclass(frozen=True, slots=True)
class AudioDevice:
    name: str
    is_input: bool
    is_output: bool


class AudioStore(Store):
    """Change names on the hub: ``"availability"``, ``"devices"``, ``"selection"``,
    ``"mic_level"``."""

    name = "audio"

    def _changed(self, what: AudioChange, initiator: object | None = None) -> None:
        self._publish((what,), initiator)

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.available = False
        self.reason = ""
        self.inputs: list[AudioDevice] = []
        self.outputs: list[AudioDevice] = []
        self.selected_input: str | None = None
        self.selected_output: str | None = None
        self.selected_ringer: str | None = None
        self.mic_level = 0.0
        self.checked = False
        """The devices were looked at once (before that, ``missing`` is False: no false alarm)."""

    @property
    def missing(self) -> bool:
        """Checked, and there is no usable microphone or no usable speaker."""
        if not self.checked:
            return False
        return not (self.available and self.inputs and self.outputs)

    def set_availability(self, available: bool, reason: str) -> None:
        if (available, reason, True) != (self.available, self.reason, self.checked):
            self.available, self.reason, self.checked = available, reason, True
            self._changed("availability")

    def set_devices(self, devices: list[AudioDevice]) -> None:
        self.inputs = [d for d in devices if d.is_input]
        self.outputs = [d for d in devices if d.is_output]
        self._changed("devices")

    def set_selection(self, input_: str | None, output: str | None, ringer: str | None) -> None:
        self.selected_input, self.selected_output, self.selected_ringer = input_, output, ringer
        self._changed("selection")

    def set_mic_level(self, level: float) -> None:
        self.mic_level = min(1.0, max(0.0, level))
        self._changed("mic_level")
