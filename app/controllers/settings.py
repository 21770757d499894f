"""Settings the user changes: language, sound devices and their tests, diagnostics logging."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.logs import AppLogging
from app.notices import Notices
from app.settings import Settings
from app.stores._base import tr
from app.stores.audio import AudioDevice, AudioStore

__all__ = ["SettingsController", "list_audio_devices"]

_log = logging.getLogger(__name__)


def list_audio_devices() -> tuple[list[AudioDevice], str]:
    """The sound devices PortAudio sees, and why there are none ("" when there are)."""
    try:
        from sip.audio import SoundDeviceBackend, portaudio_available
    except ImportError as exc:
        return [], f"sound support is missing: {exc}"
    if not portaudio_available():
        return [], tr("No sound system (PortAudio) found: calls use no sound device.")
    try:
        infos = SoundDeviceBackend().list_devices()
    except Exception as exc:
        _log.warning("listing sound devices failed: %s", exc)
        return [], tr("The sound devices could not be listed.")
    devices = [AudioDevice(i.name, i.is_input, i.is_output) for i in infos]
    if not devices:
        return [], tr("No sound device found: calls use no sound device.")
    return devices, ""


class SettingsController(QObject):
    """``language_changed(code)`` tells the UI to load other translations."""

    language_changed = Signal(str)

    def __init__(
        self,
        settings: Settings,
        audio: AudioStore,
        notices: Notices,
        logging_: AppLogging | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._audio = audio
        self._notices = notices
        self._logging = logging_
        audio.set_selection(
            settings.device("input"), settings.device("output"), settings.device("ringer")
        )

    def refresh_devices(self) -> None:
        devices, reason = list_audio_devices()
        self._audio.set_devices(devices)
        self._audio.set_availability(bool(devices), reason)

    def set_language(self, code: str) -> None:
        """``"en"``, ``"nl"`` or ``""`` (follow the system)."""
        if code not in ("", "en", "nl"):
            raise ValueError(f"unsupported language: {code!r}")
        self._settings.language = code
        self.language_changed.emit(code)

    def set_devices(self, input_: str | None, output: str | None, ringer: str | None) -> None:
        for role, name in (("input", input_), ("output", output), ("ringer", ringer)):
            self._settings.set_device(role, name)
        self._audio.set_selection(input_, output, ringer)

    def test_output(self, device: str | None) -> None:
        if not self._audio.available:
            self._notices.post("warning", self._audio.reason or tr("No sound device found."))
            return
        self._notices.post("info", tr("Playing a test tone on {0}.").format(device or "default"))

    def start_mic_test(self) -> None:
        if not self._audio.available:
            self._notices.post("warning", self._audio.reason or tr("No sound device found."))

    def stop_mic_test(self) -> None:
        self._audio.set_mic_level(0.0)

    def set_diagnostics(self, enabled: bool) -> None:
        self._settings.diagnostics = enabled
        if self._logging is not None:
            path = self._logging.set_diagnostics(enabled)
            if path is not None:
                self._notices.post("info", tr("Diagnostics are written to {0}").format(path))
