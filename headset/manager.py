"""The app-facing object: picks a headset, keeps it open, re-opens it after a re-plug.

Callbacks run on the reader or poll thread; the app hops to its own loop before touching state.
Hot-plug is polling ``enumerate`` (every 2 s from :meth:`run_polling`, or :meth:`poll` by hand).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

from headset.controller import Actions, CallController, CallState, Intent, Press
from headset.descriptor import ReportKind
from headset.device import DeviceInfo, HidBackend, RawDevice, ReportReader
from headset.discovery import DescriptorCache, Found, scan
from headset.quirks import tuning_for

__all__ = ["AUTOMATIC", "HeadsetManager"]

AUTOMATIC = "automatic"


class HeadsetManager:
    """One selected headset driven from the app's call state and mute state."""

    def __init__(
        self,
        backend: HidBackend,
        on_intent: Callable[[Intent], None],
        on_devices_changed: Callable[[list[DeviceInfo]], None] | None = None,
        on_press: Callable[[Press], None] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        ring_on_headset: bool = False,
    ) -> None:
        self._backend = backend
        self._on_intent = on_intent
        self._on_devices_changed = on_devices_changed
        self._on_press = on_press
        self._clock = clock
        self._ring_on_headset = ring_on_headset
        self._lock = threading.RLock()
        self._selection = AUTOMATIC
        self._found: list[Found] = []
        self._descriptors = DescriptorCache()  # never re-open the device in use to re-read it
        self._state = CallState.IDLE
        self._muted = False
        self._active: tuple[Found, RawDevice, ReportReader, CallController] | None = None
        self._stop = threading.Event()

    @property
    def devices(self) -> list[DeviceInfo]:
        return [f.info for f in self._found]

    @property
    def current(self) -> DeviceInfo | None:
        active = self._active
        return None if active is None else active[0].info

    def select(self, device_id: str) -> None:
        """Use one device by ``DeviceInfo.device_id``, or AUTOMATIC (the first one found)."""
        with self._lock:
            self._selection = device_id
            self._close()
            self._open_selected()

    def set_call_state(self, state: CallState) -> None:
        with self._lock:
            self._state = state
            if self._active is not None:
                self._perform(self._active[3].set_call_state(state, self._clock()))

    def set_mute(self, muted: bool) -> None:
        with self._lock:
            self._muted = muted
            if self._active is not None:
                self._perform(self._active[3].set_mute(muted, self._clock()))

    def poll(self) -> None:
        """Re-enumerate; open, keep or drop the selected device accordingly."""
        found, _ = scan(self._backend, self._descriptors)
        with self._lock:
            if self._stop.is_set():
                return  # closed while scanning: never re-open a released device
            changed = [f.info for f in found] != [f.info for f in self._found]
            self._found = found
            if self._active is not None and self._active[0].info not in self.devices:
                self._close()
            if self._active is None:
                self._open_selected()
        if changed and self._on_devices_changed is not None:
            self._on_devices_changed([f.info for f in found])

    def run_polling(self, interval: float = 2.0) -> threading.Thread:
        def loop() -> None:
            while not self._stop.is_set():
                self.poll()
                self._stop.wait(interval)

        thread = threading.Thread(target=loop, name="headset-poll", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self._close()

    # -- internals ---------------------------------------------------------------------------

    def _open_selected(self) -> None:
        for found in self._found:
            if self._selection in (AUTOMATIC, found.info.device_id):
                break
        else:
            return
        try:
            raw = self._backend.open(found.info.path)
        except OSError:
            return
        info = found.info
        controller = CallController(
            found.controls,
            tuning_for(info.vendor_id, info.product_id),
            ring_on_headset=self._ring_on_headset,
        )
        reader = ReportReader(raw, self._report, self._gone)
        self._active = (found, raw, reader, controller)
        self._write_features(raw, found, controller)
        now = self._clock()
        controller.set_mute(self._muted, now)
        controller.set_call_state(self._state, now)
        self._perform(controller.resync(now))
        reader.start()

    def _write_features(self, raw: RawDevice, found: Found, controller: CallController) -> None:
        controls = found.controls
        for usage in controller.tuning.zero_features:
            for control in controls.controls:
                if control.kind == ReportKind.FEATURE and control.usage == usage:
                    length = controls.descriptor.report_length(
                        ReportKind.FEATURE, control.report_id
                    )
                    with contextlib.suppress(OSError):
                        raw.send_feature_report(bytes([control.report_id]) + bytes(length))

    def _close(self) -> None:
        active, self._active = self._active, None
        if active is not None:
            active[2].stop()
            active[1].close()

    def _report(self, report: bytes) -> None:
        with self._lock:
            if self._active is None:
                return
            actions = self._active[3].receive(report, self._clock())
        if self._on_press is not None:
            for press in actions.presses:
                self._on_press(press)
        for intent in actions.intents:
            self._on_intent(intent)

    def _gone(self, exc: OSError) -> None:
        with self._lock:
            active, self._active = self._active, None
            if active is not None:
                active[1].close()
            self._found = [f for f in self._found if active is None or f is not active[0]]
        if self._on_devices_changed is not None:
            self._on_devices_changed(self.devices)

    def _perform(self, actions: Actions) -> None:
        if self._active is None:
            return
        raw = self._active[1]
        try:
            for report in actions.reports:
                raw.write(report)
            for feature in actions.features:
                raw.send_feature_report(feature)
        except OSError:
            return  # the reader reports the unplug once
