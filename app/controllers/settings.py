"""Settings the user changes: language, sound devices and their tests, diagnostics logging.

Sound devices are chosen by name and saved; a saved device that is not plugged in is replaced
by the system default until it returns. Device lists refresh on start, on a device event of the
call bridge, and every few seconds only while Settings is on screen (hot-plug), never when idle.
The microphone level comes from the audio thread and reaches the store through a queued signal,
at most about 20 times a second.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.audio import AudioDevices
from app.logs import AppLogging
from app.notices import Notices
from app.numbers import extract_number
from app.settings import Settings
from app.stores._base import tr
from app.stores.audio import AudioDevice, AudioStore
from sip import AudioDeviceChanged, AudioDeviceError, EngineEvent
from sip.audio import DeviceInfo

__all__ = [
    "LEVEL_FLOOR_DBFS",
    "LEVEL_INTERVAL_S",
    "NO_SOUND_CARD",
    "SCAN_INTERVAL_MS",
    "SettingsController",
    "level_of",
]

NO_SOUND_CARD = "No speaker or microphone found. Calls connect but you will not hear them."
SCAN_INTERVAL_MS = 3000
LEVEL_INTERVAL_S = 0.05
LEVEL_FLOOR_DBFS = -60.0
_ROLES = ("input", "output", "ringer")
_log = logging.getLogger(__name__)


def _no_sound_card() -> str:
    return tr("No speaker or microphone found. Calls connect but you will not hear them.")


def level_of(dbfs: float) -> float:
    """A level bar's 0..1 from dBFS: -60 dBFS and below is empty, 0 dBFS is full."""
    if math.isnan(dbfs):
        return 0.0
    return min(1.0, max(0.0, (dbfs - LEVEL_FLOOR_DBFS) / -LEVEL_FLOOR_DBFS))


class SettingsController(QObject):
    """``language_changed(code)`` tells the UI to load other translations."""

    language_changed = Signal(str)
    _level_measured = Signal(float)  # emitted on the audio thread, delivered on the GUI thread

    def __init__(
        self,
        settings: Settings,
        audio: AudioStore,
        notices: Notices,
        logging_: AppLogging | None = None,
        *,
        devices: AudioDevices | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._audio = audio
        self._notices = notices
        self._logging = logging_
        self._devices = devices
        self._known: list[AudioDevice] | None = None
        self._scanning = False
        self._timer = QTimer(self)
        self._timer.setInterval(SCAN_INTERVAL_MS)
        self._timer.timeout.connect(self._rescan)
        self._peak = -math.inf
        self._next_level_at = 0.0
        self._level_measured.connect(self._show_level, Qt.ConnectionType.QueuedConnection)
        audio.set_selection(
            settings.device("input"), settings.device("output"), settings.device("ringer")
        )
        self._apply_selection()
        # the first listing starts PortAudio: here, on this thread, before any window is built,
        # so its start never overlaps Qt's own (later listings run on a worker thread)
        self.refresh_devices()

    # -- devices -------------------------------------------------------------------------
    def refresh_devices(self) -> None:
        """List the devices now (no PortAudio restart) and update the store."""
        self._show_devices(self._devices.list_devices() if self._devices is not None else [])

    def scan_devices(self, *, rescan: bool = True) -> asyncio.Future[list[DeviceInfo]] | None:
        """List (and with ``rescan`` look for newly plugged) devices on a worker thread."""
        if self._scanning or self._devices is None:
            return None
        self._scanning = True
        devices = self._devices
        work = devices.scan if rescan else devices.list_devices
        future = devices.loop.run_in_executor(None, work)
        future.add_done_callback(self._scanned)
        return future

    def watch_devices(self, on: bool) -> None:
        """While Settings is visible, look for plugged or unplugged devices every 3 s."""
        if on and not self._timer.isActive():
            self._rescan()
            self._timer.start()
        elif not on:
            self._timer.stop()

    @property
    def watching(self) -> bool:
        return self._timer.isActive()

    def _rescan(self) -> None:
        self.scan_devices(rescan=True)

    def _scanned(self, future: asyncio.Future[list[DeviceInfo]]) -> None:
        self._scanning = False
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            _log.warning("listing sound devices failed: %s", exc)
            self._show_devices([])
        else:
            self._show_devices(future.result())

    def _show_devices(self, infos: list[DeviceInfo]) -> None:
        devices = [AudioDevice(i.name, i.is_input, i.is_output) for i in infos]
        if devices != self._known:
            self._known = devices
            self._audio.set_devices(devices)
            self._apply_selection()
        self._audio.set_availability(bool(devices), "" if devices else _no_sound_card())

    def set_devices(self, input_: str | None, output: str | None, ringer: str | None) -> None:
        """Save the choice and move the running engine's streams to it (calls go on)."""
        for role, name in zip(_ROLES, (input_, output, ringer), strict=True):
            self._settings.set_device(role, name)
        self._audio.set_selection(input_, output, ringer)
        self._apply_selection()

    def effective_devices(self) -> tuple[str | None, str | None, str | None]:
        """The saved choices, with None (the default) for a device that is not plugged in."""
        a = self._audio
        chosen = (a.selected_input, a.selected_output, a.selected_ringer)
        if self._known is None:
            return chosen
        inputs = {d.name for d in self._known if d.is_input}
        outputs = {d.name for d in self._known if d.is_output}
        names = (inputs, outputs, outputs)
        result = [c if c in n else None for c, n in zip(chosen, names, strict=True)]
        return result[0], result[1], result[2]

    def _apply_selection(self) -> None:
        if self._devices is not None:
            self._devices.select(*self.effective_devices())

    def on_engine_event(self, event: EngineEvent) -> None:
        """A call's device failed or came back: say so and list the devices again."""
        if not isinstance(event, AudioDeviceChanged):
            return
        if not event.available:
            what = tr("microphone") if event.role == "microphone" else tr("speaker")
            self._notices.post(
                "warning",
                tr("The {0} stopped working ({1}); the call goes on.").format(what, event.reason),
            )
        self.scan_devices(rescan=False)

    # -- tests -----------------------------------------------------------------------------
    def test_output(self, device: str | None) -> None:
        """Play a short test tone on ``device`` (the speaker or the ringer)."""
        if self._devices is None or not self._audio.available:
            self._notices.post("warning", self._audio.reason or _no_sound_card())
            return
        try:
            self._devices.play_test(device)
        except AudioDeviceError as exc:
            self._notices.post("warning", tr("The test tone could not play: {0}").format(exc))
            return
        self._notices.post("info", tr("Playing a test tone on {0}.").format(device or "default"))

    def start_mic_test(self) -> None:
        """Show the microphone's live level in the store until :meth:`stop_mic_test`."""
        if self._devices is None or not self._audio.available:
            self._notices.post("warning", self._audio.reason or _no_sound_card())
            return
        self._peak = -math.inf
        self._next_level_at = 0.0
        try:
            self._devices.start_meter(self.effective_devices()[0], self._measured)
        except AudioDeviceError as exc:
            self._notices.post("warning", tr("The microphone could not be opened: {0}").format(exc))

    def stop_mic_test(self) -> None:
        if self._devices is not None:
            self._devices.stop_meter()
        self._audio.set_mic_level(0.0)

    def _measured(self, dbfs: float) -> None:
        """Audio thread: keep the peak, hand it on at most every LEVEL_INTERVAL_S."""
        self._peak = max(self._peak, dbfs)
        now = time.monotonic()
        if now < self._next_level_at:
            return
        self._next_level_at = now + LEVEL_INTERVAL_S
        peak, self._peak = self._peak, -math.inf
        self._level_measured.emit(level_of(peak))

    def _show_level(self, level: float) -> None:
        if self._devices is not None and self._devices.metering:
            self._audio.set_mic_level(level)

    # -- language, diagnostics -----------------------------------------------------------------
    def set_language(self, code: str) -> None:
        """``"en"``, ``"nl"`` or ``""`` (follow the system)."""
        if code not in ("", "en", "nl"):
            raise ValueError(f"unsupported language: {code!r}")
        self._settings.language = code
        self.language_changed.emit(code)

    def set_mobile_number(self, text: str) -> None:
        """Where "Move" sends a call; "" removes it. A text without a phone number is refused."""
        if not text.strip():
            self._settings.mobile_number = ""
            return
        number = extract_number(text, self._settings.region)
        if number is None:
            self._notices.post("warning", tr("There is no phone number in “{0}”.").format(text))
            return
        self._settings.mobile_number = number

    def set_notifications(self, enabled: bool) -> None:
        """Desktop notifications on or off (the next one follows at once)."""
        self._settings.notifications_enabled = enabled

    def set_diagnostics(self, enabled: bool) -> None:
        self._settings.diagnostics = enabled
        if self._logging is not None:
            path = self._logging.set_diagnostics(enabled)
            if path is not None:
                self._notices.post("info", tr("Diagnostics are written to {0}").format(path))
